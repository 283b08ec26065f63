//! `GET /api/docs` (HS §3.10, §7 item 86): a dependency-free HTML reference
//! rendered on the server from the same OpenAPI document. No scripts, no
//! third-party assets; the styles are inline.

use std::fmt::Write as _;
use std::sync::LazyLock;

use axum::response::Html;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}\
code{background:#f3f3f3;padding:0 .2em}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}\
.op{border:1px solid #ddd;border-radius:4px;padding:.5rem 1rem;margin:1rem 0}\
.m{font-weight:bold;text-transform:uppercase;margin-right:.5em}\
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left;vertical-align:top}";

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn str_of<'a>(value: &'a Value, key: &str) -> &'a str {
    value.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// A schema as a short HTML type expression, linking named schemas.
fn type_of(schema: &Value) -> String {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference.rsplit('/').next().unwrap_or_default();
        return format!("<a href=\"#schema-{0}\">{0}</a>", esc(name));
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(parts) = schema.get(key).and_then(Value::as_array) {
            return parts.iter().map(type_of).collect::<Vec<_>>().join(" | ");
        }
    }
    let base = match schema.get("type") {
        Some(Value::String(t)) => t.clone(),
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" | "),
        _ => "any".to_owned(),
    };
    let base = esc(&base);
    if let Some(items) = schema.get("items") {
        return format!("{base} of {}", type_of(items));
    }
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("{base} ({})", esc(format)),
        None => base,
    }
}

fn operation(out: &mut String, method: &str, path: &str, op: &Value) {
    let _ = write!(
        out,
        "<div class=\"op\" id=\"{id}\"><h3><span class=\"m\">{method}</span><code>{path}</code></h3><p>{summary}</p>",
        id = esc(str_of(op, "operationId")),
        path = esc(path),
        summary = esc(str_of(op, "summary")),
    );
    if op["security"] == serde_json::json!([{}]) {
        out.push_str("<p><em>Public: no credentials.</em></p>");
    }
    if let Some(params) = op.get("parameters").and_then(Value::as_array) {
        out.push_str(
            "<table><tr><th>Parameter</th><th>In</th><th>Type</th><th>Description</th></tr>",
        );
        for p in params {
            let required = if p["required"] == true {
                " (required)"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{required}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(str_of(p, "name")),
                esc(str_of(p, "in")),
                type_of(&p["schema"]),
                esc(str_of(p, "description")),
            );
        }
        out.push_str("</table>");
    }
    if let Some(content) = op["requestBody"]["content"].as_object() {
        out.push_str("<p>Body: ");
        let bodies: Vec<String> = content
            .iter()
            .map(|(media, c)| format!("{} as <code>{}</code>", type_of(&c["schema"]), esc(media)))
            .collect();
        out.push_str(&bodies.join("; "));
        out.push_str("</p>");
    }
    if let Some(responses) = op["responses"].as_object() {
        out.push_str("<table><tr><th>Status</th><th>Response</th></tr>");
        for (status, response) in responses {
            let text = match response.get("$ref").and_then(Value::as_str) {
                Some(r) => format!(
                    "<a href=\"#response-{0}\">{0}</a>",
                    esc(r.rsplit('/').next().unwrap_or_default())
                ),
                None => {
                    let schemas: Vec<String> = response["content"]
                        .as_object()
                        .map(|c| c.values().map(|m| type_of(&m["schema"])).collect())
                        .unwrap_or_default();
                    format!(
                        "{} {}",
                        esc(str_of(response, "description")),
                        schemas.join(", ")
                    )
                }
            };
            let _ = write!(out, "<tr><td>{}</td><td>{text}</td></tr>", esc(status));
        }
        out.push_str("</table>");
    }
    out.push_str("</div>");
}

fn schemas(out: &mut String, doc: &Value) {
    out.push_str("<h2 id=\"schemas\">Schemas</h2>");
    let Some(schemas) = doc["components"]["schemas"].as_object() else {
        return;
    };
    for (name, schema) in schemas {
        let _ = write!(
            out,
            "<h3 id=\"schema-{0}\">{0}</h3><p>{1}</p>",
            esc(name),
            esc(str_of(schema, "description"))
        );
        let Some(properties) = schema["properties"].as_object() else {
            let _ = write!(out, "<p>{}</p>", type_of(schema));
            continue;
        };
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        out.push_str("<table><tr><th>Field</th><th>Type</th><th>Description</th></tr>");
        for (field, property) in properties {
            let mark = if required.contains(&field.as_str()) {
                " (required)"
            } else {
                ""
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code>{mark}</td><td>{}</td><td>{}</td></tr>",
                esc(field),
                type_of(property),
                esc(str_of(property, "description")),
            );
        }
        out.push_str("</table>");
    }
    out.push_str("<h2 id=\"responses\">Problem responses</h2>");
    if let Some(responses) = doc["components"]["responses"].as_object() {
        for (name, response) in responses {
            let _ = write!(
                out,
                "<p id=\"response-{0}\"><strong>{0}</strong>: {1}, a <a href=\"#schema-Problem\">Problem</a> as <code>application/problem+json</code></p>",
                esc(name),
                esc(str_of(response, "description"))
            );
        }
    }
}

/// Renders the reference page from an OpenAPI document.
#[must_use]
pub fn render(doc: &Value) -> String {
    let title = esc(str_of(&doc["info"], "title"));
    let mut out = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body><h1>{title}</h1><p>{}</p>\
<p>Authenticate with <code>Authorization: Bearer &lt;user JWT&gt;</code> or <code>Authorization: AccessToken distr-…</code>. \
The machine-readable document is <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a>.</p>",
        esc(str_of(&doc["info"], "description"))
    );
    let tags: Vec<(String, String)> = doc["tags"]
        .as_array()
        .map(|ts| {
            ts.iter()
                .map(|t| {
                    (
                        str_of(t, "name").to_owned(),
                        str_of(t, "description").to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let paths = doc["paths"].as_object().cloned().unwrap_or_default();
    for (tag, description) in &tags {
        let mut section = String::new();
        for (path, item) in &paths {
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let tagged = op["tags"]
                    .as_array()
                    .is_some_and(|ts| ts.iter().any(|t| t == tag.as_str()));
                if tagged {
                    operation(&mut section, method, path, op);
                }
            }
        }
        if !section.is_empty() {
            let _ = write!(
                out,
                "<h2 id=\"tag-{0}\">{0}</h2><p>{1}</p>{section}",
                esc(tag),
                esc(description)
            );
        }
    }
    schemas(&mut out, doc);
    out.push_str("</body></html>");
    out
}

/// `GET /api/docs`.
pub async fn page() -> Html<&'static str> {
    static PAGE: LazyLock<String> = LazyLock::new(|| {
        let doc = serde_json::to_value(super::document()).unwrap_or_default();
        render(&doc)
    });
    Html(PAGE.as_str())
}
