//! `GET /deployments/{id}/status` (AP §9.2, HS §3.5): status records of all
//! revisions, newest first, paginated with an opaque (time, id) cursor.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use distr_ports::store::{Cursor, PageRequest};
use uuid::Uuid;

use super::assemble::{Redactions, status_view};
use super::deployments::find_visible;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;

/// Default and largest page sizes (HS §3.5).
const DEFAULT_LIMIT: u32 = 25;
const MAX_LIMIT: u32 = 100;

fn encode_cursor(cursor: Cursor) -> String {
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

pub(super) async fn list(
    State(state): State<AppState>,
    principal: UserPrincipal,
    Path(id): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let page = page_request(&query)?;
    let (deployment, target) = find_visible(&state, &principal, &id).await?;
    // One extra row tells whether an older page exists.
    let probe = PageRequest {
        limit: page.limit + 1,
        ..page
    };
    let mut records = state.store.list_statuses(deployment.id, probe).await?;
    let more = records.len() > usize::try_from(page.limit).unwrap_or(usize::MAX);
    records.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    let mut redactions = Redactions::default();
    let mut out = Vec::with_capacity(records.len());
    for record in &records {
        out.push(status_view(&state, &mut redactions, &target, record).await?);
    }
    let mut response = Json(out).into_response();
    if let (true, Some(last)) = (more, records.last()) {
        let cursor = encode_cursor(Cursor {
            time: last.last_reported_at,
            id: last.id.as_uuid(),
        });
        let mut link = format!(
            "</api/v1/deployments/{}/status?limit={}&cursor={cursor}",
            deployment.id, page.limit
        );
        if let Some(after) = query.get("after") {
            link.push_str("&after=");
            link.push_str(
                &percent_encoding::utf8_percent_encode(after, percent_encoding::NON_ALPHANUMERIC)
                    .to_string(),
            );
        }
        link.push_str(">; rel=\"next\"");
        if let Ok(value) = HeaderValue::from_str(&link) {
            response.headers_mut().insert(header::LINK, value);
        }
    }
    Ok(response)
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
}
