//! Validated names from HS §2.2: Helm release names, Kubernetes namespaces
//! (DNS-1123 labels) and organization slugs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::names::ValidationError;

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$` with at most `max` characters.
fn is_dns_label(text: &str, max: usize) -> bool {
    let bytes = text.as_bytes();
    let edge_ok = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    !bytes.is_empty()
        && bytes.len() <= max
        && edge_ok(bytes.first())
        && edge_ok(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

macro_rules! validated_name {
    ($(#[$meta:meta])* $name:ident, $field:literal, $check:expr, $reason:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Validates `raw` exactly (no trimming or case folding).
            ///
            /// # Errors
            /// When `raw` does not match the pattern in the type's documentation.
            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                let check: fn(&str) -> bool = $check;
                if check(raw) {
                    Ok(Self(raw.to_owned()))
                } else {
                    Err(ValidationError::new($field, $reason))
                }
            }

            /// The name as text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                Self::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }
    };
}

/// Maximum length of a Helm release name.
pub const RELEASE_NAME_MAX: usize = 53;

validated_name!(
    /// A Helm release name: `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, at most 53 characters.
    ReleaseName,
    "releaseName",
    |s| is_dns_label(s, RELEASE_NAME_MAX),
    "must consist of lowercase letters, digits and '-', start and end with a letter or digit, and be at most 53 characters"
);

validated_name!(
    /// A Kubernetes namespace: a DNS-1123 label of at most 63 characters.
    Namespace,
    "namespace",
    |s| is_dns_label(s, 63),
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters"
);

validated_name!(
    /// An organization slug: `^[a-z0-9][a-z0-9-]{0,63}$`.
    Slug,
    "slug",
    |s| {
        let bytes = s.as_bytes();
        (1..=64).contains(&bytes.len())
            && bytes.first().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
    },
    "must start with a lowercase letter or digit and contain only lowercase letters, digits and '-', at most 64 characters"
);

/// Derives a valid release name from an application name: lowercased, every run
/// of other characters becomes one `-`, edges trimmed, cut to 53 characters;
/// `app` when nothing usable remains.
#[must_use]
pub fn slugify_release_name(app_name: &str) -> ReleaseName {
    let mut slug = String::with_capacity(app_name.len().min(RELEASE_NAME_MAX));
    let mut pending_dash = false;
    for c in app_name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            let dash = pending_dash && !slug.is_empty();
            if slug.len() + usize::from(dash) + 1 > RELEASE_NAME_MAX {
                break;
            }
            if dash {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else {
            pending_dash = true;
        }
    }
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() {
        ReleaseName("app".to_owned())
    } else {
        ReleaseName(trimmed.to_owned())
    }
}

/// Checks an env file (HS §3.8 step 7): every line that is not blank and not a
/// `#` comment must have the form `KEY=value` (an optional `export ` prefix is
/// allowed). The error names the line number only, never its text.
///
/// # Errors
/// A `ValidationError` on field `envFileData` for the first malformed line.
pub fn check_env_file(text: &str) -> Result<(), ValidationError> {
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let assignment = trimmed
            .strip_prefix("export ")
            .map_or(trimmed, str::trim_start);
        let valid = assignment.split_once('=').is_some_and(|(key, _)| {
            !key.trim_end().is_empty() && !key.trim_end().contains(char::is_whitespace)
        });
        if !valid {
            return Err(ValidationError::new(
                "envFileData",
                format!("line {} must have the form KEY=value", index + 1),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
