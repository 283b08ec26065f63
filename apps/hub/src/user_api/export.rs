//! Text exports (HS §3.5): the newest `EXPORT_MAX_ROWS` rows, written
//! oldest line first as an attachment, flagged when capped.

use std::future::Future;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use distr_ports::StoreError;
use distr_ports::store::{Cursor, PageRequest};

use crate::problem::ApiError;

/// Rows fetched per store call; the ports allow at most 100.
const BATCH: u32 = 100;

/// Walks a newest-first listing with cursors and keeps at most `max` rows.
/// Returns the rows (newest first) and whether older rows were left out.
pub(super) async fn collect_newest<T, F, Fut>(
    max: u64,
    mut fetch: F,
    position: impl Fn(&T) -> Cursor,
) -> Result<(Vec<T>, bool), ApiError>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: Future<Output = Result<Vec<T>, StoreError>>,
{
    let max = usize::try_from(max).unwrap_or(usize::MAX);
    let mut rows: Vec<T> = Vec::new();
    let mut page = PageRequest::first(BATCH);
    while rows.len() <= max {
        let batch = fetch(page).await?;
        let full = batch.len() >= BATCH as usize;
        rows.extend(batch);
        match rows.last() {
            Some(last) if full => page.before = Some(position(last)),
            _ => break,
        }
    }
    let truncated = rows.len() > max;
    rows.truncate(max);
    Ok((rows, truncated))
}

/// The attachment: `lines` come newest first and are written oldest first.
pub(super) fn text_response(lines: Vec<String>, truncated: bool, filename: &str) -> Response {
    let mut text = String::new();
    for line in lines.into_iter().rev() {
        text.push_str(&line);
        text.push('\n');
    }
    let mut response = text.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    if truncated {
        headers.insert("x-export-truncated", HeaderValue::from_static("true"));
    }
    response
}

/// One export line: `[<RFC 3339 time>] [<kind>] <text>`.
pub(super) fn line(time: chrono::DateTime<chrono::Utc>, kind: &str, text: &str) -> String {
    format!(
        "[{}] [{kind}] {text}",
        time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use uuid::Uuid;

    fn rows(n: u128) -> Vec<Cursor> {
        (0..n)
            .rev()
            .map(|i| Cursor {
                time: DateTime::from_timestamp(1_700_000_000 + i64::try_from(i).unwrap(), 0)
                    .unwrap(),
                id: Uuid::from_u128(i),
            })
            .collect()
    }

    async fn export(all: &[Cursor], max: u64) -> (Vec<Cursor>, bool) {
        collect_newest(
            max,
            |page: PageRequest| {
                let out: Vec<Cursor> = all
                    .iter()
                    .filter(|c| page.before.is_none_or(|b| (c.time, c.id) < (b.time, b.id)))
                    .take(page.limit as usize)
                    .copied()
                    .collect();
                async move { Ok(out) }
            },
            |c| *c,
        )
        .await
        .unwrap()
    }

    #[tokio::test]
    async fn export_walks_every_batch_and_flags_a_capped_result() {
        let all = rows(250);
        let (got, truncated) = export(&all, 10_000).await;
        assert_eq!(got, all);
        assert!(!truncated);
        let (got, truncated) = export(&all, 120).await;
        assert_eq!(got, all[..120]);
        assert!(truncated);
        let (got, truncated) = export(&all, 250).await;
        assert_eq!(got.len(), 250);
        assert!(!truncated);
    }

    #[tokio::test]
    async fn lines_are_written_oldest_first() {
        let t = DateTime::from_timestamp(0, 0).unwrap();
        let response = text_response(vec![line(t, "b", "2"), line(t, "a", "1")], true, "x.txt");
        assert_eq!(response.headers()["x-export-truncated"], "true");
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"x.txt\""
        );
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(
            body,
            "[1970-01-01T00:00:00.000000Z] [a] 1\n[1970-01-01T00:00:00.000000Z] [b] 2\n"
        );
    }
}
