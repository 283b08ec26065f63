//! Mapping backend errors onto [`StoreError`].

use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error as DieselError};
use distr_ports::StoreError;

/// The error every query body in this crate returns; `?` converts diesel and
/// pool errors into it, and the trait methods convert it into [`StoreError`].
#[derive(Debug)]
pub(crate) struct Fail(pub(crate) StoreError);

impl From<Fail> for StoreError {
    fn from(fail: Fail) -> Self {
        fail.0
    }
}

impl From<StoreError> for Fail {
    fn from(error: StoreError) -> Self {
        Self(error)
    }
}

impl From<DieselError> for Fail {
    fn from(error: DieselError) -> Self {
        Self(classify(&error))
    }
}

impl From<diesel_async::pooled_connection::deadpool::PoolError> for Fail {
    fn from(error: diesel_async::pooled_connection::deadpool::PoolError) -> Self {
        Self(StoreError::Unavailable(format!("connection pool: {error}")))
    }
}

/// Unique constraints and the names [`StoreError::Conflict`] reports for them:
/// (Postgres constraint name, fragment of the SQLite message, label).
const UNIQUE_CONSTRAINTS: &[(&str, &str, &str)] = &[
    (
        "organizations_slug_key",
        "organizations.slug",
        "organization slug",
    ),
    (
        "user_accounts_email_key",
        "user_accounts.email",
        "user email",
    ),
    (
        "memberships_pkey",
        "memberships.organization_id",
        "membership",
    ),
    (
        "access_tokens_key_hash_key",
        "access_tokens.key_hash",
        "access token key hash",
    ),
    (
        "customer_organizations_name_key",
        "customer_organizations.organization_id",
        "customer name",
    ),
    (
        "application_versions_name_key",
        "application_versions.application_id",
        "version name",
    ),
    (
        "agent_versions_name_key",
        "agent_versions.name",
        "agent version name",
    ),
    (
        "deployments_release_name_key",
        "deployments.deployment_target_id",
        "release name",
    ),
    (
        "secrets_scope_key_idx",
        "secrets_scope_key_idx",
        "secret key",
    ),
    ("hub_settings_pkey", "hub_settings.key", "setting"),
];

/// Maps a diesel error with the defaults of this crate: unique violations
/// become `Conflict`, foreign-key violations `NotFound` (a referenced parent
/// is missing), connection trouble `Unavailable`.
pub(crate) fn classify(error: &DieselError) -> StoreError {
    match error {
        DieselError::NotFound => StoreError::NotFound,
        DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => {
            StoreError::Conflict(conflict_label(info.as_ref()))
        }
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _) => {
            StoreError::NotFound
        }
        DieselError::DeserializationError(e) => StoreError::Corrupt(e.to_string()),
        other => StoreError::Unavailable(other.to_string()),
    }
}

/// Whether the error is a foreign-key violation (used where a missing
/// parent is not an error, or where a delete is blocked by children).
pub(crate) const fn is_foreign_key_violation(error: &DieselError) -> bool {
    matches!(
        error,
        DieselError::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)
    )
}

fn conflict_label(info: &(dyn DatabaseErrorInformation + Send + Sync)) -> String {
    let constraint = info.constraint_name().unwrap_or_default();
    let message = info.message();
    UNIQUE_CONSTRAINTS
        .iter()
        .find(|(pg, sqlite, _)| constraint == *pg || message.contains(sqlite))
        .map_or_else(
            || primary_key_label(constraint, message),
            |(_, _, label)| (*label).to_owned(),
        )
}

/// A duplicate primary key: "<table> id", from `<table>_pkey` (Postgres) or
/// `UNIQUE constraint failed: <table>.id` (SQLite).
fn primary_key_label(constraint: &str, message: &str) -> String {
    let table = constraint
        .strip_suffix("_pkey")
        .map(str::to_owned)
        .or_else(|| {
            message
                .rsplit(": ")
                .next()
                .and_then(|columns| columns.split('.').next())
                .map(str::to_owned)
        });
    match table {
        Some(table) if !table.is_empty() => {
            format!("{} id", table.trim_end_matches('s').replace('_', " "))
        }
        _ => "id".to_owned(),
    }
}

/// `NotFound` when an `UPDATE` or `DELETE` touched no row.
pub(crate) fn not_found_if_none(count: usize) -> Result<(), Fail> {
    if count == 0 {
        Err(StoreError::NotFound.into())
    } else {
        Ok(())
    }
}

/// A stored value that does not decode.
pub(crate) fn corrupt(what: impl std::fmt::Display) -> Fail {
    Fail(StoreError::Corrupt(what.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn primary_key_label_names_the_table_in_both_dialects() {
        assert_eq!(
            primary_key_label("organizations_pkey", ""),
            "organization id"
        );
        assert_eq!(
            primary_key_label("", "UNIQUE constraint failed: user_accounts.id"),
            "user account id"
        );
    }
}
