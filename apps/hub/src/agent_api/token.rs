//! Agent JWTs (AP §3.5, §3.6 steps 2–4, §11b): HS256 over `JWT_SECRET`,
//! audience `["agent"]`, times checked against the injected clock.

use chrono::{DateTime, Utc};
use distr_domain::ids::{OrganizationId, TargetId};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

/// The audience every agent token carries and every agent route requires.
pub const AGENT_AUDIENCE: &str = "agent";

/// Leeway for `exp`, `nbf` and `iat` (AP §3.6: at most 5 s).
pub const LEEWAY_SECS: i64 = 5;

/// Why a token was refused. Every variant answers 401.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Bad structure, algorithm or signature.
    #[error("invalid token: {0}")]
    Invalid(String),
    /// `exp` has passed (beyond the leeway).
    #[error("token expired")]
    Expired,
    /// `nbf` or `iat` lies in the future (beyond the leeway).
    #[error("token not yet valid")]
    NotYetValid,
    /// `aud` does not contain `agent`.
    #[error("token audience is not agent")]
    WrongAudience,
    /// `sub` or `org` is not a UUID.
    #[error("token subject or organization is not a UUID")]
    BadSubject,
}

#[derive(Serialize)]
struct IssuedClaims<'a> {
    sub: String,
    org: String,
    aud: [&'a str; 1],
    iat: i64,
    nbf: i64,
    exp: i64,
}

/// Claims as received; `aud` may be a string or an array.
#[derive(Deserialize)]
struct ReceivedClaims {
    sub: Option<String>,
    org: Option<String>,
    aud: Option<serde_json::Value>,
    iat: Option<i64>,
    nbf: Option<i64>,
    exp: Option<i64>,
}

/// The identity an agent token proves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AgentIdentity {
    /// `sub`.
    pub target_id: TargetId,
    /// `org`.
    pub organization_id: OrganizationId,
}

/// Issues an agent token valid from `now` for `valid`.
///
/// # Errors
/// Only when signing fails, which HS256 never does for a non-empty key.
pub fn issue(
    key: &[u8],
    identity: AgentIdentity,
    now: DateTime<Utc>,
    valid: std::time::Duration,
) -> Result<String, TokenError> {
    let iat = now.timestamp();
    let lifetime = i64::try_from(valid.as_secs()).unwrap_or(i64::MAX);
    let claims = IssuedClaims {
        sub: identity.target_id.to_string(),
        org: identity.organization_id.to_string(),
        aud: [AGENT_AUDIENCE],
        iat,
        nbf: iat,
        exp: iat.saturating_add(lifetime),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(key),
    )
    .map_err(|err| TokenError::Invalid(err.to_string()))
}

/// Verifies signature, times, audience and the UUID claims of an agent token.
///
/// # Errors
/// A [`TokenError`] naming the first failed check.
pub fn verify(key: &[u8], token: &str, now: DateTime<Utc>) -> Result<AgentIdentity, TokenError> {
    let mut validation = Validation::new(Algorithm::HS256);
    // Times and audience are checked below against the injected clock.
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data =
        jsonwebtoken::decode::<ReceivedClaims>(token, &DecodingKey::from_secret(key), &validation)
            .map_err(|err| TokenError::Invalid(err.to_string()))?;
    let claims = data.claims;
    let now = now.timestamp();
    match claims.exp {
        Some(exp) if now <= exp.saturating_add(LEEWAY_SECS) => {}
        Some(_) => return Err(TokenError::Expired),
        None => return Err(TokenError::Invalid("missing exp".to_owned())),
    }
    for time in [claims.nbf, claims.iat].into_iter().flatten() {
        if time > now.saturating_add(LEEWAY_SECS) {
            return Err(TokenError::NotYetValid);
        }
    }
    if !audience_contains(claims.aud.as_ref(), AGENT_AUDIENCE) {
        return Err(TokenError::WrongAudience);
    }
    let target_id = claims
        .sub
        .as_deref()
        .and_then(|s| s.parse::<TargetId>().ok())
        .ok_or(TokenError::BadSubject)?;
    let organization_id = claims
        .org
        .as_deref()
        .and_then(|s| s.parse::<OrganizationId>().ok())
        .ok_or(TokenError::BadSubject)?;
    Ok(AgentIdentity {
        target_id,
        organization_id,
    })
}

fn audience_contains(aud: Option<&serde_json::Value>, wanted: &str) -> bool {
    match aud {
        Some(serde_json::Value::String(one)) => one == wanted,
        Some(serde_json::Value::Array(many)) => many.iter().any(|v| v.as_str() == Some(wanted)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use std::time::Duration;

    const KEY: &[u8] = b"0123456789abcdef0123456789abcdef";

    fn identity() -> AgentIdentity {
        AgentIdentity {
            target_id: TargetId::from_uuid(uuid::Uuid::now_v7()),
            organization_id: OrganizationId::from_uuid(uuid::Uuid::now_v7()),
        }
    }

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(secs, 0).single().unwrap()
    }

    fn sign(claims: &serde_json::Value, key: &[u8]) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            claims,
            &EncodingKey::from_secret(key),
        )
        .unwrap()
    }

    #[test]
    fn issued_token_round_trips_within_its_lifetime() {
        let id = identity();
        let token = issue(KEY, id, at(1_000_000), Duration::from_secs(86_400)).unwrap();
        assert_eq!(verify(KEY, &token, at(1_000_000 + 86_400)).unwrap(), id);
        assert_eq!(verify(KEY, &token, at(1_000_000 + 86_405)).unwrap(), id);
        assert_eq!(
            verify(KEY, &token, at(1_000_000 + 86_406)),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn issued_claims_have_the_agent_shape() {
        let id = identity();
        let token = issue(KEY, id, at(1_000_000), Duration::from_secs(86_400)).unwrap();
        let claims: serde_json::Value = jsonwebtoken::dangerous::insecure_decode(&token)
            .unwrap()
            .claims;
        assert_eq!(claims["aud"], serde_json::json!(["agent"]));
        assert_eq!(claims["iat"], claims["nbf"]);
        assert_eq!(
            claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
            86_400
        );
        assert_eq!(claims["sub"], id.target_id.to_string());
        assert_eq!(claims["org"], id.organization_id.to_string());
        assert_eq!(claims.as_object().unwrap().len(), 6);
    }

    #[test]
    fn token_signed_with_another_key_is_invalid() {
        let token = issue(
            b"another key of enough length....",
            identity(),
            at(10),
            Duration::from_secs(60),
        )
        .unwrap();
        assert!(matches!(
            verify(KEY, &token, at(10)),
            Err(TokenError::Invalid(_))
        ));
    }

    #[test]
    fn user_audience_is_rejected_as_string_or_array() {
        let id = identity();
        for aud in [
            serde_json::json!("user"),
            serde_json::json!(["user"]),
            serde_json::Value::Null,
        ] {
            let token = sign(
                &serde_json::json!({"sub": id.target_id.to_string(), "org": id.organization_id.to_string(),
                    "aud": aud, "iat": 10, "nbf": 10, "exp": 100}),
                KEY,
            );
            assert_eq!(verify(KEY, &token, at(10)), Err(TokenError::WrongAudience));
        }
        let token = sign(
            &serde_json::json!({"sub": id.target_id.to_string(), "org": id.organization_id.to_string(),
                "aud": "agent", "iat": 10, "nbf": 10, "exp": 100}),
            KEY,
        );
        assert_eq!(verify(KEY, &token, at(10)).unwrap(), id);
    }

    #[test]
    fn non_uuid_subject_is_rejected() {
        let token = sign(
            &serde_json::json!({"sub": "abc", "org": uuid::Uuid::now_v7().to_string(),
                "aud": ["agent"], "iat": 10, "nbf": 10, "exp": 100}),
            KEY,
        );
        assert_eq!(verify(KEY, &token, at(10)), Err(TokenError::BadSubject));
    }

    #[test]
    fn future_not_before_beyond_leeway_is_rejected() {
        let id = identity();
        let token = issue(KEY, id, at(100), Duration::from_secs(60)).unwrap();
        assert_eq!(verify(KEY, &token, at(95)).unwrap(), id);
        assert_eq!(verify(KEY, &token, at(94)), Err(TokenError::NotYetValid));
    }
}
