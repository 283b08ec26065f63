//! Newest-first paging shared by status and log listings.

use chrono::{DateTime, Utc};
use distr_ports::store::PageRequest;
use uuid::Uuid;

/// Sorts `rows` newest first by `key` (time, then id, both descending) and
/// applies the page's bounds and limit.
pub(super) fn newest_first<T>(
    rows: impl IntoIterator<Item = T>,
    key: impl Fn(&T) -> (DateTime<Utc>, Uuid),
    page: PageRequest,
) -> Vec<T> {
    let mut rows: Vec<T> = rows
        .into_iter()
        .filter(|row| {
            let (time, id) = key(row);
            let before_ok = page.before.is_none_or(|c| (time, id) < (c.time, c.id));
            let after_ok = page.after.is_none_or(|after| time > after);
            before_ok && after_ok
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(key(row)));
    rows.truncate(usize::try_from(page.limit).unwrap_or(usize::MAX));
    rows
}
