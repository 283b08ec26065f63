//! The scripted mock API server.

use std::future::Future;

use distr_kube::KubeCluster;
use http::{Method, Request, Response};
use kube::client::Body;
use serde_json::Value;

/// Namespace of every test.
pub const NAMESPACE: &str = "apps";

/// The text of `fixtures/<name>`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

/// One expected request and its answer.
#[derive(Debug)]
pub struct Exchange {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    content_type: Option<&'static str>,
    body: Option<Value>,
    status: u16,
    reply: String,
    reply_type: &'static str,
}

impl Exchange {
    fn new(method: Method, path: &str) -> Self {
        Self {
            method,
            path: path.to_owned(),
            query: Vec::new(),
            content_type: None,
            body: None,
            status: 200,
            reply: String::new(),
            reply_type: "application/json",
        }
    }

    pub fn get(path: &str) -> Self {
        Self::new(Method::GET, path)
    }

    pub fn post(path: &str) -> Self {
        Self::new(Method::POST, path)
    }

    pub fn put(path: &str) -> Self {
        Self::new(Method::PUT, path)
    }

    pub fn patch(path: &str) -> Self {
        Self::new(Method::PATCH, path)
    }

    pub fn delete(path: &str) -> Self {
        Self::new(Method::DELETE, path)
    }

    /// Expects the query parameter (the whole query must match, in any order).
    pub fn query(mut self, key: &str, value: &str) -> Self {
        self.query.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Expects `fieldManager=distr-agent&force=true` and an apply-patch body.
    pub fn server_side_apply(self, body: Value) -> Self {
        self.query("fieldManager", "distr-agent")
            .query("force", "true")
            .json_body("application/apply-patch+yaml", body)
    }

    /// Expects this content type and this JSON body.
    pub fn json_body(mut self, content_type: &'static str, body: Value) -> Self {
        self.content_type = Some(content_type);
        self.body = Some(body);
        self
    }

    /// Answers with `fixtures/<name>` and this status.
    pub fn reply(mut self, status: u16, name: &str) -> Self {
        self.status = status;
        self.reply = fixture(name);
        self
    }

    /// Answers 200 with a plain-text fixture (pod logs).
    pub fn reply_text(mut self, name: &str) -> Self {
        self.reply = fixture(name);
        self.reply_type = "text/plain";
        self
    }

    async fn verify(&self, index: usize, request: Request<Body>) {
        let what = format!("request {index} ({} {})", self.method, self.path);
        assert_eq!(request.method(), self.method, "{what}: method");
        assert_eq!(request.uri().path(), self.path, "{what}: path");
        let mut query: Vec<(String, String)> =
            form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
                .into_owned()
                .collect();
        query.sort();
        let mut expected = self.query.clone();
        expected.sort();
        assert_eq!(query, expected, "{what}: query");
        let content_type = request
            .headers()
            .get(http::header::CONTENT_TYPE)
            .map(|value| value.to_str().unwrap().to_owned());
        let bytes = request.into_body().collect_bytes().await.unwrap();
        match &self.body {
            Some(body) => {
                assert_eq!(
                    content_type.as_deref(),
                    self.content_type,
                    "{what}: content type"
                );
                let sent: Value = serde_json::from_slice(&bytes)
                    .unwrap_or_else(|err| panic!("{what}: body is not JSON: {err}"));
                assert_eq!(&sent, body, "{what}: body");
            }
            None if self.method == Method::GET => {
                assert!(bytes.is_empty(), "{what}: a GET has no body");
            }
            None => {}
        }
    }

    fn response(&self) -> Response<Body> {
        Response::builder()
            .status(self.status)
            .header(http::header::CONTENT_TYPE, self.reply_type)
            .body(Body::from(self.reply.clone().into_bytes()))
            .unwrap()
    }
}

/// Runs `operation` against a cluster whose API server answers exactly
/// `script`, in order, and fails on a missing, different or extra request.
pub async fn run<T, F, Fut>(script: Vec<Exchange>, operation: F) -> T
where
    F: FnOnce(KubeCluster) -> Fut,
    Fut: Future<Output = T>,
{
    let (service, mut handle) = tower_test::mock::pair::<Request<Body>, Response<Body>>();
    let server = tokio::spawn(async move {
        for (index, exchange) in script.iter().enumerate() {
            let Some((request, respond)) = handle.next_request().await else {
                panic!(
                    "request {index} ({} {}) never came",
                    exchange.method, exchange.path
                );
            };
            exchange.verify(index, request).await;
            respond.send_response(exchange.response());
        }
        if let Some((request, _)) = handle.next_request().await {
            panic!("unexpected request {} {}", request.method(), request.uri());
        }
    });
    let cluster = KubeCluster::new(kube::Client::new(service, NAMESPACE));
    let output = operation(cluster).await;
    server.await.expect("mock API server");
    output
}
