//! Validated text values shared by several entities.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A validation failure of a domain value, with a human-readable reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct ValidationError {
    /// The field (JSON name) that failed.
    pub field: &'static str,
    /// Why it failed.
    pub reason: String,
}

impl ValidationError {
    /// Builds an error for `field`.
    #[must_use]
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

/// A display name: trimmed, 1–100 characters (HS §2.1).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// Maximum length in characters.
    pub const MAX_CHARS: usize = 100;

    /// Trims and validates a name.
    ///
    /// # Errors
    /// When the trimmed name is empty or longer than 100 characters.
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ValidationError::new(field, "must not be empty"));
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(
                field,
                "must be at most 100 characters",
            ));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Name {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse("name", &value)
    }
}

impl From<Name> for String {
    fn from(value: Name) -> Self {
        value.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

/// An e-mail address, stored lowercased. Only a light syntactic check is made.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Trims, lowercases and checks the address has one `@` with text on both sides.
    ///
    /// # Errors
    /// When the address is malformed or longer than 254 characters.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = raw.trim().to_lowercase();
        let valid = value.len() <= 254
            && value.split('@').count() == 2
            && value.split('@').all(|part| !part.is_empty())
            && !value.chars().any(char::is_whitespace);
        if valid {
            Ok(Self(value))
        } else {
            Err(ValidationError::new("email", "must be an e-mail address"))
        }
    }

    /// The address as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn name_is_trimmed() {
        assert_eq!(Name::parse("name", "  web  ").unwrap().as_str(), "web");
    }

    #[test]
    fn blank_name_is_rejected() {
        assert!(Name::parse("name", "   ").is_err());
    }

    #[test]
    fn email_is_lowercased() {
        assert_eq!(Email::parse(" A@B.C ").unwrap().as_str(), "a@b.c");
    }

    proptest! {
        #[test]
        fn name_parse_never_panics_and_bounds_hold(raw in ".{0,200}") {
            if let Ok(name) = Name::parse("name", &raw) {
                prop_assert!(!name.as_str().is_empty());
                prop_assert!(name.as_str().chars().count() <= Name::MAX_CHARS);
                prop_assert_eq!(name.as_str(), name.as_str().trim());
            }
        }

        #[test]
        fn email_parse_never_panics(raw in ".{0,300}") {
            if let Ok(email) = Email::parse(&raw) {
                prop_assert_eq!(email.as_str().matches('@').count(), 1);
            }
        }
    }
}
