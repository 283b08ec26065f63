//! The route × caller matrix (HS §3.3, §3.4; §7 items 6, 9, 10): every user
//! route called by each kind of caller, with the status the §3.4 table
//! gives. Each call gets fresh objects, so a write by one caller never
//! changes what the next one sees. The objects belong to customer A, so
//! `o` and `w` cells apply to the customer callers. Runs on every store.
//!
//! Columns: VA, VW, VR (vendor admin, read_write, read_only), CA (customer
//! admin), CW / CR (customer read_write / read_only), XA (another
//! organization's admin) and anonymous.

use axum::http::Method;
use serde_json::{Value, json};

use super::support::{Caller, Org, TestApp, b64};

const COMPOSE: &str = "services:\n  web:\n    image: nginx:alpine\n";

/// The ids a row's path and body may use, fresh for each call.
struct Objects {
    app: String,
    target: String,
    deployment: String,
    version: String,
    secret: String,
    token: String,
    customer: String,
    agent_version: String,
    /// The organization of the fixtures.
    org: String,
    /// A freshly invited (not yet active) read-only user of customer A.
    member: String,
    unique: String,
}

type Build = fn(&Objects) -> Option<Value>;

/// One route: method, path template (`{app}`, `{target}`, … are filled
/// from [`Objects`]), body, and the expected status per column.
struct Row {
    method: Method,
    path: &'static str,
    body: Build,
    /// VA, VW, VR, CA, CW, CR, XA, anonymous.
    expect: [u16; 8],
}

fn none(_: &Objects) -> Option<Value> {
    None
}

const READ: [u16; 8] = [200, 200, 200, 200, 200, 200, 404, 401];
const READ_LIST: [u16; 8] = [200, 200, 200, 200, 200, 200, 200, 401];
/// `y y - o w`: 2xx for VA, VW, CA, CW; 403 for VR and CR; 404 outside the org.
const fn write_in_scope(ok: u16) -> [u16; 8] {
    [ok, ok, 403, ok, ok, 403, 404, 401]
}
/// Managing a customer user: `y y¹ - o -`.
const fn manage_member(ok: u16) -> [u16; 8] {
    [ok, ok, 403, ok, 403, 403, 404, 401]
}

/// `y y - - -` on a visible object: customers may read it but not change it.
const fn vendor_write(ok: u16) -> [u16; 8] {
    [ok, ok, 403, 403, 403, 403, 404, 401]
}
/// A vendor-only delete of an object that is still in use (409 for writers).
const IN_USE: [u16; 8] = vendor_write(409);

fn rows() -> Vec<Row> {
    use Method as M;
    let r = |method: Method, path: &'static str, body: Build, expect: [u16; 8]| Row {
        method,
        path,
        body,
        expect,
    };
    vec![
        r(
            M::POST,
            "/auth/login",
            |o| {
                Some(
                    json!({"email": format!("nobody-{}@example.com", o.unique), "password": "wrong"}),
                )
            },
            [401; 8],
        ),
        r(
            M::POST,
            "/auth/switch-context",
            |o| Some(json!({"organizationId": o.org})),
            [200, 200, 200, 200, 200, 200, 404, 401],
        ),
        r(
            M::POST,
            "/auth/accept-invite",
            |_| Some(json!({"token": "not-a-link", "password": "long-enough"})),
            [401; 8],
        ),
        r(
            M::POST,
            "/auth/reset-password",
            |_| Some(json!({"token": "not-a-link", "password": "long-enough"})),
            [401; 8],
        ),
        r(M::GET, "/context", none, READ_LIST),
        r(M::GET, "/organizations", none, READ_LIST),
        r(M::GET, "/organization", none, READ_LIST),
        r(
            M::PUT,
            "/organization",
            |_| Some(json!({"name": "Vendor"})),
            [200, 403, 403, 403, 403, 403, 200, 401],
        ),
        r(
            M::POST,
            "/settings/user",
            |_| Some(json!({"name": "Renamed"})),
            [200, 200, 200, 200, 200, 200, 200, 401],
        ),
        r(M::GET, "/user-accounts", none, READ_LIST),
        // Another organization's admin names a customer it does not have.
        r(
            M::POST,
            "/user-accounts",
            |o| {
                Some(
                    json!({"email": format!("m-{}@example.com", o.unique), "name": "M", "userRole": "read_only", "customerOrganizationId": o.customer}),
                )
            },
            [201, 201, 403, 201, 403, 403, 400, 401],
        ),
        r(
            M::PATCH,
            "/user-accounts/{member}",
            |_| Some(json!({"name": "Renamed"})),
            manage_member(200),
        ),
        r(
            M::DELETE,
            "/user-accounts/{member}",
            none,
            manage_member(204),
        ),
        r(
            M::POST,
            "/user-accounts/{member}/invite",
            none,
            manage_member(200),
        ),
        r(
            M::POST,
            "/user-accounts/{member}/password-reset",
            none,
            [200, 403, 403, 200, 403, 403, 404, 401],
        ),
        r(M::GET, "/settings/tokens", none, READ_LIST),
        r(
            M::POST,
            "/settings/tokens",
            |_| Some(json!({"label": "matrix"})),
            [201, 201, 201, 201, 201, 201, 201, 401],
        ),
        // The token is the vendor admin's own: nobody else can revoke it.
        r(
            M::DELETE,
            "/settings/tokens/{token}",
            none,
            [204, 404, 404, 404, 404, 404, 404, 401],
        ),
        r(M::GET, "/applications", none, READ_LIST),
        r(
            M::POST,
            "/applications",
            |o| Some(json!({"name": format!("app-{}", o.unique), "type": "docker"})),
            [201, 201, 403, 403, 403, 403, 201, 401],
        ),
        r(M::GET, "/applications/{app}", none, READ),
        r(
            M::POST,
            "/applications/{app}/versions",
            |o| Some(json!({"name": format!("v-{}", o.unique), "composeFile": b64(COMPOSE)})),
            vendor_write(201),
        ),
        r(
            M::PUT,
            "/applications/{app}",
            |o| Some(json!({"name": format!("app2-{}", o.unique)})),
            vendor_write(200),
        ),
        r(
            M::PATCH,
            "/applications/{app}",
            |o| Some(json!({"versions": [{"id": o.version, "archivedAt": null}]})),
            vendor_write(200),
        ),
        // The fixture's deployment uses the application and its version.
        r(M::DELETE, "/applications/{app}", none, IN_USE),
        r(M::GET, "/applications/{app}/versions/{version}", none, READ),
        r(
            M::PUT,
            "/applications/{app}/versions/{version}",
            |_| Some(json!({"name": "1.0.1"})),
            vendor_write(200),
        ),
        r(
            M::DELETE,
            "/applications/{app}/versions/{version}",
            none,
            IN_USE,
        ),
        r(
            M::GET,
            "/applications/{app}/versions/{version}/compose-file",
            none,
            READ,
        ),
        r(
            M::GET,
            "/applications/{app}/versions/{version}/values-file",
            none,
            READ,
        ),
        r(
            M::GET,
            "/applications/{app}/versions/{version}/template-file",
            none,
            READ,
        ),
        r(
            M::GET,
            "/customer-organizations",
            none,
            [200, 200, 200, 403, 403, 403, 200, 401],
        ),
        r(M::GET, "/customer-organizations/{customer}", none, READ),
        r(
            M::PUT,
            "/customer-organizations/{customer}",
            |o| Some(json!({"name": format!("c2-{}", o.unique)})),
            vendor_write(200),
        ),
        // Customer A owns the fixture's target.
        r(
            M::DELETE,
            "/customer-organizations/{customer}",
            none,
            IN_USE,
        ),
        r(
            M::POST,
            "/customer-organizations",
            |o| Some(json!({"name": format!("c-{}", o.unique)})),
            [201, 201, 403, 403, 403, 403, 201, 401],
        ),
        r(
            M::POST,
            "/secrets",
            |o| Some(json!({"key": format!("K_{}", o.unique), "value": "v"})),
            [201, 201, 403, 201, 201, 403, 201, 401],
        ),
        r(M::GET, "/secrets", none, READ_LIST),
        r(
            M::PUT,
            "/secrets/{secret}",
            |_| Some(json!({"value": "changed"})),
            write_in_scope(200),
        ),
        r(M::DELETE, "/secrets/{secret}", none, write_in_scope(204)),
        r(M::GET, "/deployment-targets", none, READ_LIST),
        r(
            M::POST,
            "/deployment-targets",
            |o| Some(json!({"name": format!("t-{}", o.unique), "type": "docker"})),
            [201, 201, 403, 201, 201, 403, 201, 401],
        ),
        r(M::GET, "/deployment-targets/{target}", none, READ),
        r(
            M::PUT,
            "/deployment-targets/{target}",
            |o| {
                Some(
                    json!({"name": format!("t2-{}", o.unique), "metricsEnabled": false, "agentVersion": {"id": o.agent_version}}),
                )
            },
            write_in_scope(200),
        ),
        r(
            M::DELETE,
            "/deployment-targets/{target}?force=true",
            none,
            write_in_scope(204),
        ),
        r(M::GET, "/deployment-targets/{target}/logs", none, READ),
        r(
            M::GET,
            "/deployment-targets/{target}/logs/export",
            none,
            READ,
        ),
        r(M::GET, "/deployment-targets/{target}/metrics", none, READ),
        r(M::GET, "/deployment-target-metrics", none, READ_LIST),
        r(M::GET, "/agent-versions", none, READ_LIST),
        r(
            M::PUT,
            "/deployments",
            |o| {
                Some(
                    json!({"deploymentTargetId": o.target, "deploymentId": o.deployment, "applicationVersionId": o.version}),
                )
            },
            write_in_scope(200),
        ),
        r(M::GET, "/deployments/{deployment}", none, READ),
        r(
            M::PATCH,
            "/deployments/{deployment}",
            |_| Some(json!({"logsEnabled": false})),
            write_in_scope(200),
        ),
        r(
            M::DELETE,
            "/deployments/{deployment}",
            none,
            write_in_scope(204),
        ),
        r(M::GET, "/deployments/{deployment}/revisions", none, READ),
        r(M::GET, "/deployments/{deployment}/status", none, READ),
        r(
            M::GET,
            "/deployments/{deployment}/status/export",
            none,
            READ,
        ),
        r(
            M::GET,
            "/deployments/{deployment}/logs?resource=web",
            none,
            READ,
        ),
        r(
            M::GET,
            "/deployments/{deployment}/logs/export?resource=web",
            none,
            READ,
        ),
        r(
            M::GET,
            "/deployments/{deployment}/logs/resources",
            none,
            READ,
        ),
    ]
}

/// Creates fresh objects as the vendor admin: a docker application with a
/// version, a target of customer A with a deployment, and an admin PAT.
async fn objects(app: &TestApp, org: &Org, n: usize) -> Objects {
    let admin = &org.admin.token;
    let unique = format!("{n}{}", uuid::Uuid::now_v7().simple());
    let ok = |reply: super::support::Reply| {
        assert!(
            reply.status.is_success(),
            "fixture: {} {}",
            reply.status,
            reply.body
        );
        reply.body["id"].as_str().unwrap().to_owned()
    };
    let application = ok(app
        .post(
            "/api/v1/applications",
            admin,
            json!({"name": format!("a-{unique}"), "type": "docker"}),
        )
        .await);
    let version = ok(app
        .post(
            &format!("/api/v1/applications/{application}/versions"),
            admin,
            json!({"name": "1.0.0", "composeFile": b64(COMPOSE)}),
        )
        .await);
    let target = ok(app
        .post(
            "/api/v1/deployment-targets",
            admin,
            json!({"name": format!("t-{unique}"), "type": "docker", "customerOrganization": {"id": org.customer}}),
        )
        .await);
    let deployment = ok(app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": version}),
        )
        .await);
    let secret = ok(app
        .post(
            "/api/v1/secrets",
            admin,
            json!({"key": format!("F_{unique}"), "value": "v", "customerOrganizationId": org.customer}),
        )
        .await);
    let token = ok(app
        .post(
            "/api/v1/settings/tokens",
            admin,
            json!({"label": "fixture"}),
        )
        .await);
    let member = app
        .post(
            "/api/v1/user-accounts",
            admin,
            json!({"email": format!("f-{unique}@example.com"), "name": "F", "userRole": "read_only", "customerOrganizationId": org.customer}),
        )
        .await;
    assert!(member.status.is_success(), "fixture: {}", member.body);
    let member = member.body["user"]["id"].as_str().unwrap().to_owned();
    let versions = app.get("/api/v1/agent-versions", admin).await;
    let agent_version = versions.body[0]["id"].as_str().unwrap().to_owned();
    Objects {
        app: application,
        target,
        deployment,
        version,
        secret,
        token,
        customer: org.customer.to_string(),
        agent_version,
        org: org.id.to_string(),
        member,
        unique,
    }
}

fn fill(path: &str, o: &Objects) -> String {
    path.replace("{app}", &o.app)
        .replace("{target}", &o.target)
        .replace("{deployment}", &o.deployment)
        .replace("{version}", &o.version)
        .replace("{secret}", &o.secret)
        .replace("{token}", &o.token)
        .replace("{customer}", &o.customer)
        .replace("{member}", &o.member)
}

async fn route_by_caller_matrix(mut app: TestApp) {
    // Hundreds of calls by one principal: the 600/min user limit is not
    // what this test is about.
    app.state.rate_limits = std::sync::Arc::new(distr_hub::rate_limit::RateLimits::new(false));
    app.router = distr_hub::router::build_router(app.state.clone());
    let org = app.org().await;
    let other = app.org().await;
    let callers: [(&str, Option<&Caller>); 8] = [
        ("VA", Some(&org.admin)),
        ("VW", Some(&org.writer)),
        ("VR", Some(&org.reader)),
        ("CA", Some(&org.customer_admin)),
        ("CW", Some(&org.customer_writer)),
        ("CR", Some(&org.customer_reader)),
        ("XA", Some(&other.admin)),
        ("anonymous", None),
    ];
    let mut wrong = Vec::new();
    let mut n = 0;
    for row in rows() {
        for ((who, caller), expected) in callers.iter().zip(row.expect) {
            n += 1;
            let objects = objects(&app, &org, n).await;
            let path = format!("/api/v1{}", fill(row.path, &objects));
            let reply = app
                .call(
                    row.method.clone(),
                    &path,
                    caller.map(|c| c.token.as_str()),
                    (row.body)(&objects),
                )
                .await;
            if reply.status.as_u16() != expected {
                wrong.push(format!(
                    "{} {} as {who}: expected {expected}, got {} {}",
                    row.method, row.path, reply.status, reply.body
                ));
            }
            if !reply.status.is_success() {
                let content_type = reply
                    .headers
                    .get("content-type")
                    .and_then(|v| v.to_str().ok());
                assert_eq!(
                    content_type,
                    Some("application/problem+json"),
                    "{} {} as {who}",
                    row.method,
                    row.path
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

on_both_stores!(route_by_caller_matrix);

/// Every route of the router has a row, and every row is a route.
#[test]
fn the_matrix_covers_every_user_route() {
    let rows: std::collections::BTreeSet<(String, String)> = rows()
        .iter()
        .map(|row| {
            let path = row.path.split('?').next().unwrap_or_default();
            let template: Vec<String> = path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        "{id}".to_owned()
                    } else {
                        s.to_owned()
                    }
                })
                .collect();
            (
                row.method.as_str().to_ascii_lowercase(),
                format!("/api/v1{}", template.join("/")),
            )
        })
        .collect();
    // Path parameters are compared by position, whatever their names.
    let routed: std::collections::BTreeSet<(String, String)> = super::openapi::routed_operations()
        .into_iter()
        .map(|(method, path)| {
            let template: Vec<&str> = path
                .split('/')
                .map(|s| if s.starts_with('{') { "{id}" } else { s })
                .collect();
            (method, template.join("/"))
        })
        .collect();
    let missing: Vec<_> = routed.difference(&rows).collect();
    assert!(
        missing.is_empty(),
        "routes without a matrix row: {missing:?}"
    );
    let extra: Vec<_> = rows.difference(&routed).collect();
    assert!(extra.is_empty(), "matrix rows without a route: {extra:?}");
}
