//! Live append of table rows (HS §4.1: "status and log tables every 10 s,
//! rows newer than the newest shown"), shared by every live table.
//!
//! The contract with `portal.js`:
//! - the page renders `<tbody data-live-rows="URL" data-after="T">` on its
//!   first page only (never on "load older" pages), `T` being the RFC 3339
//!   time of the newest row shown or empty, every row as
//!   `<tr data-row-id="ID">`, the tbody even when empty, and a separate
//!   `.empty-rows` element the script hides when rows arrive;
//! - `GET URL?after=T` (cookie session, under `/ui/`) answers `text/html`
//!   with only the rows strictly newer than `T`, newest first, rendered by
//!   the same row template as the page, and `X-Distr-After` set to the
//!   newest returned row's time (absent when there is none);
//! - the script replaces a row whose id is already shown (a coalesced
//!   status row whose last-reported time moved) and prepends the others.

use std::collections::HashMap;

use askama::Template;
use axum::http::HeaderValue;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use distr_ports::store::PageRequest;

use crate::problem::ApiError;
use crate::user_api::paging::page_request;

/// The header carrying the newest returned row's time.
pub(crate) const AFTER_HEADER: &str = "x-distr-after";

/// Most rows one refresh returns (the store's largest page).
const MAX_ROWS: &str = "100";

/// The `data-live-rows` and `data-after` attributes of a table's tbody;
/// an empty `url` renders neither.
#[derive(Debug, Default)]
pub(crate) struct LiveTable {
    pub url: String,
    pub after: String,
}

impl LiveTable {
    /// The attributes for a page whose newest row is at `newest`; none on a
    /// "load older" page (`first_page` false).
    pub(crate) fn new(first_page: bool, url: String, newest: Option<DateTime<Utc>>) -> Self {
        if !first_page {
            return Self::default();
        }
        Self {
            url,
            after: newest.map(stamp).unwrap_or_default(),
        }
    }
}

/// A row time as `data-after` and `X-Distr-After` carry it: RFC 3339 with
/// every stored digit, so the exclusive `after` bound skips that very row.
pub(crate) fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// The page of a rows endpoint: the newest rows strictly after the
/// `after` parameter (all of them, up to 100, when it is absent or empty).
///
/// # Errors
/// 400 when `after` is not an RFC 3339 time.
pub(crate) fn newer_than(query: &HashMap<String, String>) -> Result<PageRequest, ApiError> {
    let mut only = HashMap::from([("limit".to_owned(), MAX_ROWS.to_owned())]);
    if let Some(after) = query.get("after").filter(|a| !a.is_empty()) {
        only.insert("after".to_owned(), after.clone());
    }
    page_request(&only)
}

/// The rows fragment, with `X-Distr-After` when a row is newer than `after`.
pub(crate) fn rows_response<T: Template>(rows: &T, newest: Option<DateTime<Utc>>) -> Response {
    let mut response = super::page::html(rows);
    if let Some(value) = newest.and_then(|t| HeaderValue::from_str(&stamp(t)).ok()) {
        response.headers_mut().insert(AFTER_HEADER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_keeps_every_digit_and_parses_back_as_the_after_bound() {
        let t = DateTime::from_timestamp(1_700_000_000, 123_456_000).unwrap();
        assert_eq!(stamp(t), "2023-11-14T22:13:20.123456Z");
        let query = HashMap::from([("after".to_owned(), stamp(t))]);
        let page = newer_than(&query).unwrap();
        assert_eq!(page.after, Some(t));
        assert_eq!(page.limit, 100);
        assert!(page.before.is_none());
        assert_eq!(newer_than(&HashMap::new()).unwrap().after, None);
        let bad = HashMap::from([("after".to_owned(), "yesterday".to_owned())]);
        assert!(newer_than(&bad).is_err());
    }

    #[test]
    fn load_older_pages_are_not_live() {
        let t = DateTime::from_timestamp(0, 0).unwrap();
        let first = LiveTable::new(true, "/ui/x".to_owned(), Some(t));
        assert_eq!(first.url, "/ui/x");
        assert_eq!(first.after, "1970-01-01T00:00:00Z");
        assert!(
            LiveTable::new(false, "/ui/x".to_owned(), Some(t))
                .url
                .is_empty()
        );
        assert!(
            LiveTable::new(true, "/ui/x".to_owned(), None)
                .after
                .is_empty()
        );
    }
}
