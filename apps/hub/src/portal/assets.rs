//! The embedded stylesheet and script (HS §4.1: no CDN, no external font).

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// The portal stylesheet.
pub(crate) const CSS: &str = include_str!("../../static/portal.css");
/// The one hand-written script: live refresh, copy buttons, confirmations.
pub(crate) const JS: &str = include_str!("../../static/portal.js");

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    response
}

pub(super) async fn css() -> Response {
    asset(CSS, "text/css; charset=utf-8")
}

pub(super) async fn js() -> Response {
    asset(JS, "text/javascript; charset=utf-8")
}
