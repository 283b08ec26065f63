//! The OpenAPI document (HS §3.10, §7 item 69): pinned by a snapshot, served
//! publicly, structurally valid 3.1, and covering every user route the
//! router registers (read from the route table's source, not a hand copy).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use axum::http::{Method, StatusCode, header};
use serde_json::Value;

use super::support::{Backend, TestApp};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn document() -> Value {
    serde_json::from_str(&distr_hub::openapi::document_json()).unwrap()
}

#[test]
fn the_document_is_pinned_by_a_snapshot() {
    insta::with_settings!({ snapshot_path => "../snapshots", prepend_module_to_snapshot => false }, {
        insta::assert_json_snapshot!("openapi", document(), { ".info.version" => "[version]" });
    });
}

#[tokio::test]
async fn the_document_is_served_publicly_as_json() {
    let app = TestApp::new(Backend::Memory).await;
    let reply = app
        .call(Method::GET, "/api/v1/openapi.json", None, None)
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        reply.headers[header::CONTENT_TYPE].to_str().unwrap(),
        "application/json"
    );
    assert_eq!(reply.body, document());
}

/// Every `.route("<path>", <methods>)` in the user API's source files, as
/// (method, `/api/v1<path>`) pairs.
pub(super) fn routed_operations() -> BTreeSet<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("user_api.rs")];
    collect_rs(&root.join("user_api"), &mut files);
    let mut out = BTreeSet::new();
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        for (path, methods) in route_calls(&source) {
            for method in methods {
                out.insert((method, format!("/api/v1{path}")));
            }
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The arguments of each `.route(` call: the path literal and the routing
/// functions (`get(…)`, `.post(…)`, …) named in the method router.
fn route_calls(source: &str) -> Vec<(String, Vec<String>)> {
    let mut calls = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        let args_start = at + ".route(".len();
        let args = &rest[args_start..];
        let mut depth = 1usize;
        let end = args
            .char_indices()
            .find(|&(_, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                depth == 0
            })
            .map_or(args.len(), |(i, _)| i);
        let args = &args[..end];
        rest = &rest[args_start + end..];
        let Some(open) = args.find('"') else { continue };
        let Some(len) = args[open + 1..].find('"') else {
            continue;
        };
        let path = args[open + 1..open + 1 + len].to_owned();
        let router = &args[open + 1 + len + 1..];
        let bytes = router.as_bytes();
        let methods = METHODS
            .iter()
            .filter(|m| {
                router.match_indices(&format!("{m}(")).any(|(i, _)| {
                    i == 0
                        || !(bytes[i - 1].is_ascii_alphanumeric()
                            || bytes[i - 1] == b'_'
                            || bytes[i - 1] == b':')
                })
            })
            .map(|m| (*m).to_owned())
            .collect();
        calls.push((path, methods));
    }
    calls
}

fn documented_operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_owned(), path.clone()));
            }
        }
    }
    out
}

#[test]
fn the_route_parser_reads_method_routers() {
    let calls = route_calls(
        r#".route("/a/{id}", get(x::get_one).put(x::update).delete(x::delete))
           .route("/b", post(login::login))"#,
    );
    assert_eq!(
        calls,
        vec![
            (
                "/a/{id}".to_owned(),
                vec!["get".to_owned(), "put".to_owned(), "delete".to_owned()]
            ),
            ("/b".to_owned(), vec!["post".to_owned()]),
        ]
    );
}

#[test]
fn every_user_route_is_documented_with_its_methods_and_nothing_else() {
    let routed = routed_operations();
    assert!(
        routed.len() >= 30,
        "the route table was not found: {routed:?}"
    );
    let mut documented = documented_operations(&document());
    documented.remove(&("get".to_owned(), "/api/v1/openapi.json".to_owned()));
    let missing: Vec<_> = routed.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "routes without an OpenAPI operation: {missing:?}"
    );
    let phantom: Vec<_> = documented.difference(&routed).collect();
    assert!(
        phantom.is_empty(),
        "documented operations without a route: {phantom:?}"
    );
}

/// Resolves a local `$ref` such as `#/components/schemas/Problem`.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "$ref" {
                    if let Some(r) = v.as_str() {
                        out.push(r.to_owned());
                    }
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn the_document_is_structurally_valid_openapi_3_1() {
    let doc = document();
    assert_eq!(doc["openapi"], "3.1.0");
    assert!(doc["info"]["title"].is_string());
    assert!(doc["info"]["version"].is_string());
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert!(schemes.contains_key("bearer") && schemes.contains_key("accessToken"));

    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    for r in &refs {
        assert!(resolve(&doc, r).is_some(), "dangling $ref {r}");
    }

    let mut operation_ids = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        assert!(path.starts_with("/api/v1/"), "{path}");
        let templated: BTreeSet<&str> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().unwrap_or_default();
            assert!(
                operation_ids.insert(id.to_owned()),
                "duplicate operationId {id} ({method} {path})"
            );
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            let in_path: BTreeSet<&str> = params
                .iter()
                .filter(|p| p["in"] == "path")
                .filter_map(|p| p["name"].as_str())
                .collect();
            assert_eq!(in_path, templated, "path parameters of {method} {path}");
            for p in &params {
                if p["in"] == "path" {
                    assert_eq!(
                        p["required"], true,
                        "{method} {path}: path params are required"
                    );
                }
            }
            let responses = op["responses"].as_object().unwrap();
            let success: Vec<_> = responses.keys().filter(|s| s.starts_with('2')).collect();
            assert!(
                !success.is_empty(),
                "{method} {path} has no success response"
            );
            for (status, response) in responses {
                assert!(
                    status.len() == 3 && status.parse::<u16>().is_ok(),
                    "{method} {path}: {status}"
                );
                let response = match response.get("$ref").and_then(Value::as_str) {
                    Some(r) => resolve(&doc, r).unwrap(),
                    None => response,
                };
                assert!(
                    response["description"].is_string(),
                    "{method} {path} {status}"
                );
                if !status.starts_with('2') {
                    assert!(
                        response["content"]
                            .get("application/problem+json")
                            .is_some(),
                        "{method} {path} {status} is not a problem document"
                    );
                }
            }
            let public = op["security"] == serde_json::json!([{}]);
            assert!(
                public || responses.contains_key("401"),
                "{method} {path}: authenticated operations answer 401"
            );
        }
    }
}

#[tokio::test]
async fn the_html_reference_lists_every_operation_without_third_party_assets() {
    use tower::ServiceExt as _;
    let app = TestApp::new(Backend::Memory).await;
    let request = axum::http::Request::get("/api/docs")
        .body(axum::body::Body::empty())
        .unwrap();
    let response = app.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let html = String::from_utf8(bytes.to_vec()).unwrap();
    let doc = document();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().unwrap();
            assert!(
                html.contains(&format!("id=\"{id}\"")),
                "{method} {path} is missing"
            );
        }
    }
    for schema in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            html.contains(&format!("id=\"schema-{schema}\"")),
            "schema {schema}"
        );
    }
    for forbidden in ["http://", "https://", "<script", "src=", "<link"] {
        assert!(!html.contains(forbidden), "the page contains {forbidden}");
    }
}
