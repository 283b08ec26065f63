//! Minimal `postgres://` URL editing (no URL crate needed for this).

use super::PgError;

/// `url` with its database (path) replaced by `database`, keeping any query.
pub(super) fn with_database(url: &str, database: &str) -> Result<String, PgError> {
    let scheme_end = url
        .find("://")
        .filter(|_| url.starts_with("postgres://") || url.starts_with("postgresql://"))
        .ok_or_else(|| PgError::InvalidUrl("expected postgres://...".to_owned()))?;
    let (base, query) = match url.find('?') {
        Some(q) => url.split_at(q),
        None => (url, ""),
    };
    let authority_start = scheme_end + 3;
    let authority_end = base
        .get(authority_start..)
        .and_then(|rest| rest.find('/'))
        .map(|i| authority_start + i);
    let prefix = match authority_end {
        Some(end) => base.get(..end).unwrap_or(base),
        None => base,
    };
    Ok(format!("{prefix}/{database}{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_path_is_replaced_and_query_kept() {
        let url = with_database("postgres://u:p@db:5433/main?sslmode=disable", "t1").unwrap();
        assert_eq!(url, "postgres://u:p@db:5433/t1?sslmode=disable");
    }

    #[test]
    fn missing_path_gets_the_database() {
        assert_eq!(
            with_database("postgresql://h", "t2").unwrap(),
            "postgresql://h/t2"
        );
    }

    #[test]
    fn non_postgres_url_is_rejected() {
        assert!(with_database("mysql://h/db", "x").is_err());
    }
}
