//! Serde helpers for the agent wire format: padded standard base64 `bytes`
//! (AP §1.3) and the lenient decoding rules of AP §3.1 and §5.3.

use serde::{Deserialize, Deserializer};

use crate::deployment::DockerType;

/// `Option<Vec<u8>>` as a base64 string or `null`.
pub(super) mod base64_bytes {
    use base64::Engine as _;
    use base64::engine::general_purpose::STANDARD;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(in crate::protocol) fn serialize<S: Serializer>(
        value: &Option<Vec<u8>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(bytes) => serializer.serialize_str(&STANDARD.encode(bytes)),
            None => serializer.serialize_none(),
        }
    }

    /// Undecodable text is an error: such a response is not well-formed (AP §5.3).
    pub(in crate::protocol) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Vec<u8>>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        text.map(|text| {
            STANDARD
                .decode(text.as_bytes())
                .map_err(|err| serde::de::Error::custom(format!("invalid base64: {err}")))
        })
        .transpose()
    }
}

/// Treats `null` like an absent field: the type's zero value.
pub(super) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// `compose`, `swarm`, or `null`. Any other text also decodes as `null`:
/// agents skip such deployments (AP §7.1) rather than reject the whole response.
pub(super) fn lenient_docker_type<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<DockerType>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Omits `namespace` when it is absent or empty (AP §5.1).
pub(super) fn is_blank(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(str::is_empty)
}
