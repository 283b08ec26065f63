//! Agent version names: semver or `snapshot` (AP §4.4, HS §2.2 "latest").

use std::cmp::Ordering;

/// A parsed agent version name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AgentVersionName {
    /// A development build; it passes every version gate and ranks above all releases.
    Snapshot,
    /// A semantic version (build metadata dropped).
    Semver {
        /// Major version.
        major: u64,
        /// Minor version.
        minor: u64,
        /// Patch version.
        patch: u64,
        /// Pre-release identifiers after `-`, if any.
        pre: Option<String>,
    },
}

/// The name the Hub uses for development builds.
pub const SNAPSHOT: &str = "snapshot";

/// Parses `snapshot` or a semantic version, with an optional leading `v`.
#[must_use]
pub fn parse_agent_version(name: &str) -> Option<AgentVersionName> {
    if name == SNAPSHOT {
        return Some(AgentVersionName::Snapshot);
    }
    let text = name.strip_prefix('v').unwrap_or(name);
    let (text, build) = match text.split_once('+') {
        Some((head, build)) => (head, Some(build)),
        None => (text, None),
    };
    if let Some(build) = build
        && !build
            .split('.')
            .all(|id| !id.is_empty() && id.bytes().all(is_ident_byte))
    {
        return None;
    }
    let (core, pre) = match text.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (text, None),
    };
    if let Some(pre) = pre {
        let valid = pre.split('.').all(|id| {
            !id.is_empty()
                && id.bytes().all(is_ident_byte)
                && !(id.len() > 1 && id.starts_with('0') && id.bytes().all(|b| b.is_ascii_digit()))
        });
        if !valid {
            return None;
        }
    }
    let mut parts = core.split('.');
    let major = parse_numeric(parts.next()?)?;
    let minor = parse_numeric(parts.next()?)?;
    let patch = parse_numeric(parts.next()?)?;
    if parts.next().is_some() {
        return None;
    }
    Some(AgentVersionName::Semver {
        major,
        minor,
        patch,
        pre: pre.map(str::to_owned),
    })
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// A semver numeric identifier: digits, no leading zero.
fn parse_numeric(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if text.len() > 1 && text.starts_with('0') {
        return None;
    }
    text.parse().ok()
}

/// Whether the named version is at least `major.minor.patch`: `snapshot` passes,
/// unparsable names fail, and a pre-release ranks below its release.
#[must_use]
pub fn version_at_least(name: &str, major: u64, minor: u64, patch: u64) -> bool {
    match parse_agent_version(name) {
        Some(AgentVersionName::Snapshot) => true,
        Some(AgentVersionName::Semver {
            major: a,
            minor: b,
            patch: c,
            pre,
        }) => match (a, b, c).cmp(&(major, minor, patch)) {
            Ordering::Greater => true,
            Ordering::Equal => pre.is_none(),
            Ordering::Less => false,
        },
        None => false,
    }
}

/// Total order for choosing the "latest" version: `snapshot` highest, then semver
/// precedence, unparsable names lowest. Ties are broken by the raw text, so two
/// names compare equal only when they are identical.
#[must_use]
pub fn compare_agent_versions(a: &str, b: &str) -> Ordering {
    rank(
        parse_agent_version(a).as_ref(),
        parse_agent_version(b).as_ref(),
    )
    .then_with(|| a.cmp(b))
}

fn rank(a: Option<&AgentVersionName>, b: Option<&AgentVersionName>) -> Ordering {
    use AgentVersionName::{Semver, Snapshot};
    match (a, b) {
        (None, None) | (Some(Snapshot), Some(Snapshot)) => Ordering::Equal,
        (None, Some(_)) | (Some(Semver { .. }), Some(Snapshot)) => Ordering::Less,
        (Some(_), None) | (Some(Snapshot), Some(Semver { .. })) => Ordering::Greater,
        (
            Some(Semver {
                major: a1,
                minor: a2,
                patch: a3,
                pre: a_pre,
            }),
            Some(Semver {
                major: b1,
                minor: b2,
                patch: b3,
                pre: b_pre,
            }),
        ) => (a1, a2, a3)
            .cmp(&(b1, b2, b3))
            .then_with(|| compare_pre(a_pre.as_deref(), b_pre.as_deref())),
    }
}

/// Semver §11 pre-release precedence; no pre-release ranks above any pre-release.
fn compare_pre(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => {
            let mut left = a.split('.');
            let mut right = b.split('.');
            loop {
                match (left.next(), right.next()) {
                    (None, None) => return Ordering::Equal,
                    (None, Some(_)) => return Ordering::Less,
                    (Some(_), None) => return Ordering::Greater,
                    (Some(x), Some(y)) => {
                        let order = compare_identifier(x, y);
                        if order != Ordering::Equal {
                            return order;
                        }
                    }
                }
            }
        }
    }
}

fn compare_identifier(x: &str, y: &str) -> Ordering {
    let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (numeric(x), numeric(y)) {
        // Numeric identifiers have no leading zeros, so length then text is numeric order.
        (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

#[cfg(test)]
mod tests;
