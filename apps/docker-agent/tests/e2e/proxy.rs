//! A loopback HTTP proxy in front of the Hub that drops `ETag` (and
//! `If-None-Match`), so the agent sees a Hub without the conditional-request
//! extension and falls back to plain polling (AP §6.4). Benchmarks only.

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderName, StatusCode, header};
use axum::response::Response;

/// A bound, not yet serving proxy.
#[derive(Debug)]
pub struct Proxy {
    listener: tokio::net::TcpListener,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
}

impl Proxy {
    /// Binds a free loopback port.
    pub async fn bind() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("proxy port");
        let port = listener.local_addr().expect("proxy address").port();
        Self {
            listener,
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Serves in the background, forwarding to `upstream`.
    pub fn serve(self, upstream: String) {
        let app = axum::Router::new()
            .fallback(forward)
            .with_state((reqwest::Client::new(), upstream));
        tokio::spawn(async move {
            let _ = axum::serve(self.listener, app).await;
        });
    }
}

fn dropped(name: &HeaderName) -> bool {
    [
        header::HOST,
        header::ETAG,
        header::IF_NONE_MATCH,
        header::CONTENT_LENGTH,
        header::TRANSFER_ENCODING,
    ]
    .contains(name)
}

async fn forward(
    State((client, upstream)): State<(reqwest::Client, String)>,
    request: Request,
) -> Response {
    let (parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(body) = to_bytes(body, 64 * 1024 * 1024).await else {
        return status_only(StatusCode::BAD_REQUEST);
    };
    let mut upstream_request = client
        .request(parts.method, format!("{upstream}{path}"))
        .body(body);
    for (name, value) in &parts.headers {
        if !dropped(name) {
            upstream_request = upstream_request.header(name, value);
        }
    }
    let Ok(answer) = upstream_request.send().await else {
        return status_only(StatusCode::BAD_GATEWAY);
    };
    let mut response = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !dropped(name) {
            response = response.header(name, value);
        }
    }
    let bytes = answer.bytes().await.unwrap_or_default();
    response
        .body(Body::from(bytes))
        .unwrap_or_else(|_| status_only(StatusCode::BAD_GATEWAY))
}

fn status_only(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}
