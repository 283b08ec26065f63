//! Vendor organizations (tenants) and their customer organizations.

use chrono::{DateTime, Utc};

use crate::ids::{CustomerOrganizationId, OrganizationId};
use crate::names::Name;

/// A vendor organization (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    /// Identifier.
    pub id: OrganizationId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Display name.
    pub name: Name,
    /// Optional unique slug (`^[a-z0-9][a-z0-9-]{0,63}$`).
    pub slug: Option<String>,
    /// Pre-connect script (P2).
    pub pre_connect_script: Option<String>,
    /// Post-connect script (P2).
    pub post_connect_script: Option<String>,
    /// Whether the pre-connect pipe ends in `sudo sh`.
    pub connect_script_is_sudo: bool,
    /// AP's `pre_post_scripts` feature.
    pub pre_post_scripts_enabled: bool,
}

/// A customer organization of a vendor (HS §2.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerOrganization {
    /// Identifier.
    pub id: CustomerOrganizationId,
    /// The vendor organization it belongs to.
    pub organization_id: OrganizationId,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Name, unique per organization.
    pub name: Name,
}
