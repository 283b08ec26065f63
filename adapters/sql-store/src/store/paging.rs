//! Keyset paging shared by every newest-first listing.

/// Applies a [`distr_ports::store::PageRequest`] to a boxed query over a
/// table sorted by (`$time` desc, `$id` desc): rows strictly older than the
/// cursor, strictly newer than `after`, at most `limit`. One macro rather than
/// a function because each table is its own diesel type.
macro_rules! newest_first_page {
    ($query:expr, $time:path, $id:path, $page:expr) => {{
        let mut query = $query;
        let page = $page;
        if let Some(cursor) = page.before {
            let (at, cursor_id) = (crate::convert::micros(cursor.time), cursor.id.to_string());
            query = query.filter($time.lt(at).or($time.eq(at).and($id.lt(cursor_id))));
        }
        if let Some(after) = page.after {
            query = query.filter($time.gt(crate::convert::micros(after)));
        }
        query
            .order(($time.desc(), $id.desc()))
            .limit(crate::convert::page_limit(page.limit))
    }};
}

pub(crate) use newest_first_page;
