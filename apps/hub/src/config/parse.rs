//! Value parsers for configuration variables. Errors describe the problem
//! without repeating the value, which may be a secret.

use std::net::SocketAddr;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

/// A humantime (`1h30m`) or Go (`1m0s`) duration.
pub fn duration(raw: &str) -> Result<Duration, String> {
    // The domain error repeats the input; ours must not.
    distr_domain::duration::parse_duration(raw.trim())
        .map_err(|_| "not a duration such as 5s, 1h30m or 1m0s".to_owned())
}

/// `true`/`false` (also `1`/`0`, `yes`/`no`, `on`/`off`).
pub fn boolean(raw: &str) -> Result<bool, String> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        _ => Err("not a boolean (true or false)".to_owned()),
    }
}

/// A socket address `host:port`.
pub fn socket_addr(raw: &str) -> Result<SocketAddr, String> {
    raw.trim()
        .parse()
        .map_err(|_| "not an address such as 0.0.0.0:8080".to_owned())
}

/// An IP network `addr/prefix` (or a bare address).
pub fn cidr(raw: &str) -> Result<String, String> {
    let bad = || "not a CIDR such as 10.0.0.0/8".to_owned();
    let (addr, prefix) = raw
        .split_once('/')
        .map_or((raw, None), |(a, p)| (a, Some(p)));
    let addr: std::net::IpAddr = addr.parse().map_err(|_| bad())?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    if let Some(prefix) = prefix {
        prefix
            .parse::<u32>()
            .ok()
            .filter(|p| *p <= max)
            .ok_or_else(bad)?;
    }
    Ok(raw.to_owned())
}

/// A positive integer.
pub fn positive(raw: &str) -> Result<u64, String> {
    match raw.trim().parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err("not a positive integer".to_owned()),
    }
}

/// An http(s) base URL without trailing slash.
pub fn base_url(raw: &str) -> Result<String, String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"))
        .ok_or_else(|| "not an http(s) URL".to_owned())?;
    if rest.is_empty() || rest.contains(char::is_whitespace) {
        return Err("not an http(s) URL".to_owned());
    }
    Ok(trimmed.to_owned())
}

/// Base64 of at least `min` bytes.
pub fn base64_bytes(raw: &str, min: usize) -> Result<Vec<u8>, String> {
    let bytes = STANDARD
        .decode(raw.trim())
        .map_err(|_| "not valid base64".to_owned())?;
    if bytes.len() < min {
        return Err(format!("must decode to at least {min} bytes"));
    }
    Ok(bytes)
}

/// Base64 of exactly 32 bytes (an AES-256 key).
pub fn aes_key(raw: &str) -> Result<[u8; 32], String> {
    let bytes = STANDARD
        .decode(raw.trim())
        .map_err(|_| "not valid base64".to_owned())?;
    <[u8; 32]>::try_from(bytes.as_slice()).map_err(|_| "must decode to exactly 32 bytes".to_owned())
}

/// `snapshot`, or semver ≥ 1.12.0 (AP §4.4).
pub fn agent_version(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name == "snapshot" {
        return Ok(name.to_owned());
    }
    let core = name.split(['-', '+']).next().unwrap_or_default();
    let parts: Vec<u64> = core
        .split('.')
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| "not semver")?;
    match parts.as_slice() {
        [major, minor, _patch] if (*major, *minor) >= (1, 12) => Ok(name.to_owned()),
        [_, _, _] => Err("must be at least 1.12.0".to_owned()),
        _ => Err("must be semver (1.12.0 or newer) or snapshot".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn humantime_and_go_durations_parse() {
        assert_eq!(duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(duration("1m0s"), Ok(Duration::from_secs(60)));
        assert_eq!(duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert!(duration("five").is_err());
        assert!(duration("").is_err());
        assert!(duration("10").is_err());
    }

    #[test]
    fn trusted_proxies_must_be_networks() {
        assert!(cidr("10.0.0.0/8").is_ok());
        assert!(cidr("::1").is_ok());
        assert!(cidr("10.0.0.0/33").is_err());
        assert!(cidr("proxy.local").is_err());
    }

    #[test]
    fn agent_versions_below_1_12_are_refused() {
        assert!(agent_version("1.11.9").is_err());
        assert!(agent_version("1.12.0").is_ok());
        assert!(agent_version("2.7.1").is_ok());
        assert!(agent_version("snapshot").is_ok());
        assert!(agent_version("latest").is_err());
    }

    #[test]
    fn errors_never_repeat_the_value() {
        let err = base64_bytes("s3cr3t-not-base64!", 32).unwrap_err();
        assert!(!err.contains("s3cr3t"));
        let err = aes_key("c2hvcnQ=").unwrap_err();
        assert!(!err.contains("c2hvcnQ"));
    }
}
