//! The cached agent JWT and its unverified `exp` (AP §6.3).

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A token is refreshed when its `exp` is less than this many seconds away.
const REFRESH_MARGIN_SECS: i64 = 30;

/// An agent JWT as the client keeps it between requests.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct CachedToken {
    /// The compact JWS, sent as the Bearer credential.
    pub(crate) jwt: String,
    /// `exp` in unix seconds; `None` when the token carries no `exp`.
    exp: Option<i64>,
    /// The configuration generation the token was obtained with: a replaced
    /// configuration makes it unusable (AP §8.1).
    pub(crate) generation: u64,
}

impl CachedToken {
    /// Reads `exp` from `jwt` without verifying the signature: only the Hub
    /// can verify it, and the agent just needs to know when to log in again.
    pub(crate) fn parse(jwt: String, generation: u64) -> Result<Self, String> {
        let exp = unverified_exp(&jwt)?;
        Ok(Self {
            jwt,
            exp,
            generation,
        })
    }

    /// True when the client must log in before using the token: it has no
    /// `exp` or the `exp` is less than 30 s after `now`.
    pub(crate) fn needs_refresh(&self, now: i64) -> bool {
        self.exp
            .is_none_or(|exp| exp.saturating_sub(now) < REFRESH_MARGIN_SECS)
    }

    /// True while the Hub should still accept the token, which makes it a
    /// fallback when a refresh fails.
    pub(crate) fn unexpired(&self, now: i64) -> bool {
        self.exp.is_some_and(|exp| exp > now)
    }
}

impl fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CachedToken")
            .field("jwt", &"***")
            .field("exp", &self.exp)
            .field("generation", &self.generation)
            .finish()
    }
}

fn unverified_exp(jwt: &str) -> Result<Option<i64>, String> {
    let mut parts = jwt.split('.');
    let (Some(_header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err("token is not a compact JWS".to_owned());
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .map_err(|err| format!("token payload is not base64url: {err}"))?;
    let Ok(serde_json::Value::Object(claims)) = serde_json::from_slice(&bytes) else {
        return Err("token payload is not a JSON object".to_owned());
    };
    match claims.get("exp") {
        None | Some(serde_json::Value::Null) => Ok(None),
        // NumericDate may be fractional (RFC 7519 §2); whole seconds suffice.
        Some(serde_json::Value::Number(n)) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f.floor() as i64))
            .map(Some)
            .ok_or_else(|| "token exp is not a number".to_owned()),
        Some(_) => Err("token exp is not a number".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt_with(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn exp_is_read_without_verification() {
        let token = CachedToken::parse(jwt_with(r#"{"exp":1000,"sub":"x"}"#), 7).unwrap();
        assert!(!token.needs_refresh(900));
        assert!(!token.needs_refresh(970));
        assert!(token.needs_refresh(971));
        assert!(token.unexpired(999));
        assert!(!token.unexpired(1000));
        assert_eq!(token.generation, 7);
    }

    #[test]
    fn a_token_without_exp_is_always_refreshed_and_never_a_fallback() {
        let token = CachedToken::parse(jwt_with(r#"{"sub":"x"}"#), 0).unwrap();
        assert!(token.needs_refresh(0));
        assert!(!token.unexpired(0));
    }

    #[test]
    fn fractional_exp_is_accepted() {
        let token = CachedToken::parse(jwt_with(r#"{"exp":1000.7}"#), 0).unwrap();
        assert!(token.unexpired(999));
    }

    #[test]
    fn garbage_tokens_are_rejected() {
        assert!(CachedToken::parse("abc".to_owned(), 0).is_err());
        assert!(CachedToken::parse("a.b.c.d".to_owned(), 0).is_err());
        assert!(CachedToken::parse("a.!!!.c".to_owned(), 0).is_err());
        assert!(CachedToken::parse(jwt_with("[1]"), 0).is_err());
        assert!(CachedToken::parse(jwt_with(r#"{"exp":"soon"}"#), 0).is_err());
    }

    #[test]
    fn debug_output_hides_the_jwt() {
        let token = CachedToken::parse(jwt_with(r#"{"exp":1}"#), 0).unwrap();
        assert!(!format!("{token:?}").contains(&token.jwt));
    }
}
