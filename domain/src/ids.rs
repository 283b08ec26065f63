//! Typed identifiers. Every entity id is a UUID wrapped in its own type so
//! that a target id can never be passed where a deployment id is expected.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Error returned when a string is not a lowercase hyphenated UUID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid UUID: {0:?}")]
pub struct InvalidId(pub String);

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// Wraps an existing UUID.
            #[must_use]
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            /// The wrapped UUID.
            #[must_use]
            pub const fn as_uuid(&self) -> Uuid {
                self.0
            }

            /// The nil id (all zeros); used only for legacy records.
            #[must_use]
            pub const fn nil() -> Self {
                Self(Uuid::nil())
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                parse_uuid(s).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.hyphenated())
            }
        }
    };
}

/// Parses a UUID in any of the textual forms `uuid` accepts (hyphenated,
/// simple, braced, urn) and rejects everything else.
///
/// # Errors
/// `InvalidId` when the text is not a UUID.
pub fn parse_uuid(s: &str) -> Result<Uuid, InvalidId> {
    Uuid::parse_str(s).map_err(|_| InvalidId(s.to_owned()))
}

id_type!(/// A vendor organization (tenant).
    OrganizationId);
id_type!(/// A user account, across organizations.
    UserAccountId);
id_type!(/// A customer organization inside a vendor organization.
    CustomerOrganizationId);
id_type!(/// A personal access token.
    AccessTokenId);
id_type!(/// An application.
    ApplicationId);
id_type!(/// An application version.
    ApplicationVersionId);
id_type!(/// A deployment target (one agent).
    TargetId);
id_type!(/// An agent version (image tag).
    AgentVersionId);
id_type!(/// A deployment, stable across revisions.
    DeploymentId);
id_type!(/// An immutable deployment revision.
    RevisionId);
id_type!(/// A deployment revision status record.
    StatusId);
id_type!(/// A heartbeat-message change of a target.
    HeartbeatChangeId);
id_type!(/// A target metrics sample.
    MetricsSampleId);
id_type!(/// A log record (workload or agent).
    LogRecordId);
id_type!(/// A secret.
    SecretId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_display_lowercase_hyphenated() {
        let id: TargetId = "0190A3B4-1C2D-7E8F-9A0B-1C2D3E4F5A6B".parse().unwrap();
        assert_eq!(id.to_string(), "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b");
    }

    #[test]
    fn non_uuid_is_rejected() {
        assert!("abc".parse::<TargetId>().is_err());
    }
}
