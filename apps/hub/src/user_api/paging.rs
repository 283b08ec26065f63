//! Pagination of newest-first lists (HS §3.5): `limit`, `before`, `after`
//! and an opaque (time, id) `cursor`, with `Link: rel="next"` when older
//! rows exist. Shared by the status, revision and log lists.

use std::collections::HashMap;
use std::future::Future;

use axum::Json;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use distr_ports::StoreError;
use distr_ports::store::{Cursor, PageRequest};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use uuid::Uuid;

use crate::problem::ApiError;

/// Default and largest page sizes (HS §3.5).
const DEFAULT_LIMIT: u32 = 25;
const MAX_LIMIT: u32 = 100;

pub(crate) fn encode_cursor(cursor: Cursor) -> String {
    URL_SAFE_NO_PAD.encode(format!("{}:{}", cursor.time.timestamp_micros(), cursor.id))
}

fn decode_cursor(text: &str) -> Option<Cursor> {
    let raw = String::from_utf8(URL_SAFE_NO_PAD.decode(text).ok()?).ok()?;
    let (micros, id) = raw.split_once(':')?;
    Some(Cursor {
        time: DateTime::from_timestamp_micros(micros.parse().ok()?)?,
        id: Uuid::parse_str(id).ok()?,
    })
}

fn time(name: &str, raw: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ApiError::bad_request(format!("{name} must be an RFC 3339 time")))
}

/// Parses `limit`, `before`, `after` and `cursor`.
///
/// # Errors
/// 400 `bad-request` for any malformed parameter.
pub fn page_request(query: &HashMap<String, String>) -> Result<PageRequest, ApiError> {
    let limit = match query.get("limit") {
        None => DEFAULT_LIMIT,
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| ApiError::bad_request("limit must be an integer from 1 to 100"))?,
    };
    let before = match (query.get("cursor"), query.get("before")) {
        (Some(c), _) => {
            Some(decode_cursor(c).ok_or_else(|| ApiError::bad_request("invalid cursor"))?)
        }
        // Exclusive time bound: every row at that time sorts after the nil id.
        (None, Some(b)) => Some(Cursor {
            time: time("before", b)?,
            id: Uuid::nil(),
        }),
        (None, None) => None,
    };
    let after = query.get("after").map(|a| time("after", a)).transpose()?;
    Ok(PageRequest {
        limit,
        before,
        after,
    })
}

fn limit_len(page: &PageRequest) -> usize {
    usize::try_from(page.limit).unwrap_or(usize::MAX)
}

/// One page of rows and the position to continue from, if older rows exist.
pub(super) struct Page<T> {
    pub rows: Vec<T>,
    pub next: Option<Cursor>,
}

/// Reads one page from a newest-first store listing. One extra row tells
/// whether an older page exists; at the largest page size, which the store
/// ports cap, a one-row look past the page does.
pub(super) async fn fetch_page<T, F, Fut>(
    page: PageRequest,
    mut fetch: F,
    position: impl Fn(&T) -> Cursor,
) -> Result<Page<T>, ApiError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Vec<T>, StoreError>>,
{
    let probe = PageRequest {
        limit: (page.limit + 1).min(MAX_LIMIT),
        ..page
    };
    let rows = fetch(probe).await?;
    if rows.len() > limit_len(&page) || page.limit < MAX_LIMIT {
        return Ok(finish(rows, &page, position));
    }
    let Some(last) = rows.last().map(&position) else {
        return Ok(Page { rows, next: None });
    };
    let beyond = PageRequest {
        limit: 1,
        before: Some(last),
        after: page.after,
    };
    let more = rows.len() == limit_len(&page) && !fetch(beyond).await?.is_empty();
    Ok(Page {
        rows,
        next: more.then_some(last),
    })
}

/// Trims the rows of a one-row-longer request to the page.
fn finish<T>(mut rows: Vec<T>, page: &PageRequest, position: impl Fn(&T) -> Cursor) -> Page<T> {
    let more = rows.len() > limit_len(page);
    rows.truncate(limit_len(page));
    let next = rows.last().filter(|_| more).map(position);
    Page { rows, next }
}

/// Pages rows that are already all loaded and sorted newest first.
pub(super) fn in_memory<T>(
    rows: Vec<T>,
    page: &PageRequest,
    position: impl Fn(&T) -> Cursor,
) -> Page<T> {
    let key = |c: Cursor| (c.time, c.id);
    let rows = rows
        .into_iter()
        .filter(|r| {
            let at = key(position(r));
            page.before.is_none_or(|b| at < key(b)) && page.after.is_none_or(|after| at.0 > after)
        })
        .take(limit_len(page) + 1)
        .collect();
    finish(rows, page, position)
}

/// The JSON array, with `Link: <path?…&cursor=…>; rel="next"` when `next`
/// is set. `keep` names query parameters the next link repeats besides
/// `limit` and `after`.
pub(super) fn page_response<V: Serialize>(
    views: Vec<V>,
    next: Option<Cursor>,
    path: &str,
    page: &PageRequest,
    query: &HashMap<String, String>,
    keep: &[&str],
) -> Response {
    let mut response = Json(views).into_response();
    let Some(next) = next else {
        return response;
    };
    let mut link = format!("<{path}?limit={}", page.limit);
    for name in keep.iter().copied().chain(["after"]) {
        if let Some(value) = query.get(name) {
            link.push_str(&format!(
                "&{name}={}",
                utf8_percent_encode(value, NON_ALPHANUMERIC)
            ));
        }
    }
    link.push_str(&format!("&cursor={}>; rel=\"next\"", encode_cursor(next)));
    if let Ok(value) = HeaderValue::from_str(&link) {
        response.headers_mut().insert(header::LINK, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips() {
        let cursor = Cursor {
            time: DateTime::from_timestamp_micros(1_700_000_000_123_456).unwrap(),
            id: Uuid::now_v7(),
        };
        assert_eq!(decode_cursor(&encode_cursor(cursor)), Some(cursor));
        assert_eq!(decode_cursor("garbage"), None);
    }

    #[test]
    fn limit_outside_one_to_one_hundred_is_refused() {
        for bad in ["0", "101", "x", "-1"] {
            let query = HashMap::from([("limit".to_owned(), bad.to_owned())]);
            assert!(page_request(&query).is_err(), "{bad}");
        }
        assert_eq!(page_request(&HashMap::new()).unwrap().limit, 25);
    }

    #[tokio::test]
    async fn a_full_page_of_one_hundred_still_links_to_older_rows() {
        let rows: Vec<Cursor> = (0..150u128)
            .rev()
            .map(|i| Cursor {
                time: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                id: Uuid::from_u128(i),
            })
            .collect();
        // Like the stores: at most 100 rows per call.
        let fetch = |p: PageRequest| {
            let out: Vec<Cursor> = rows
                .iter()
                .filter(|c| p.before.is_none_or(|b| (c.time, c.id) < (b.time, b.id)))
                .take(p.limit.min(100) as usize)
                .copied()
                .collect();
            async move { Ok::<_, StoreError>(out) }
        };
        let first = fetch_page(PageRequest::first(100), fetch, |c| *c)
            .await
            .unwrap();
        assert_eq!(first.rows, rows[..100]);
        assert_eq!(first.next, Some(rows[99]));
        let page = PageRequest {
            before: first.next,
            ..PageRequest::first(100)
        };
        let second = fetch_page(page, fetch, |c| *c).await.unwrap();
        assert_eq!(second.rows, rows[100..]);
        assert_eq!(second.next, None);
    }

    #[test]
    fn in_memory_pages_continue_after_the_cursor_without_loss() {
        let t = |s| DateTime::from_timestamp(s, 0).unwrap();
        // Newest first, two rows share a time.
        let rows: Vec<Cursor> = [(30, 3), (20, 2), (20, 1), (10, 0)]
            .into_iter()
            .map(|(s, id)| Cursor {
                time: t(s),
                id: Uuid::from_u128(id),
            })
            .collect();
        let mut page = PageRequest::first(2);
        let first = in_memory(rows.clone(), &page, |c| *c);
        assert_eq!(first.rows, rows[..2]);
        page.before = first.next;
        let second = in_memory(rows.clone(), &page, |c| *c);
        assert_eq!(second.rows, rows[2..]);
        assert!(second.next.is_none());
        let newer = PageRequest {
            after: Some(t(10)),
            ..PageRequest::first(10)
        };
        assert_eq!(in_memory(rows.clone(), &newer, |c| *c).rows, rows[..3]);
    }
}
