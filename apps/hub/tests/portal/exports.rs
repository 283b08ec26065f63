//! The deployment detail's exports in the portal and the redaction of
//! secret values on every portal read path (HS §2.3, §3.5, §4.4; HS §7
//! item 74).

use axum::http::StatusCode;
use distr_domain::deployment::StatusType;
use distr_domain::user::UserRole;
use serde_json::json;

use super::html::get;
use super::logs::{deployed, logs, status};
use super::support::{Backend, TestApp};

#[tokio::test]
async fn portal_exports_return_the_api_files_in_scope_only() {
    let app = TestApp::new(Backend::Memory).await;
    let d = deployed(&app, true).await;
    let token = d.org.customer_reader.token.as_str();
    status(&app, &d, 1, StatusType::Progressing, "pulling").await;
    status(&app, &d, 2, StatusType::Healthy, "running").await;
    logs(&app, &d, "web", &[(1, "one"), (2, "two")]).await;
    let status_path = format!("/deployments/{}/status/export", d.id);
    let logs_path = format!("/deployments/{}/logs/export?resource=web", d.id);

    let status_file = get(&app, &status_path, Some(token)).await;
    assert_eq!(status_file.status, StatusCode::OK);
    assert_eq!(
        status_file.header("content-type"),
        "text/plain; charset=utf-8"
    );
    assert_eq!(
        status_file.header("content-disposition"),
        format!("attachment; filename=\"deployment-{}-status.txt\"", d.id)
    );
    assert_eq!(
        status_file.body,
        "[2023-11-14T22:13:21.000000Z] [progressing] pulling\n[2023-11-14T22:13:22.000000Z] [healthy] running\n"
    );
    let logs_file = get(&app, &logs_path, Some(token)).await;
    assert_eq!(logs_file.status, StatusCode::OK);
    assert_eq!(
        logs_file.header("content-disposition"),
        format!("attachment; filename=\"deployment-{}-logs.txt\"", d.id)
    );
    assert_eq!(
        logs_file.body,
        "[2023-11-14T22:13:21.000000Z] [INFO] one\n[2023-11-14T22:13:22.000000Z] [INFO] two\n"
    );
    // The same files as the API's export routes.
    for (portal, api) in [
        (
            &status_file,
            format!("/api/v1/deployments/{}/status/export", d.id),
        ),
        (
            &logs_file,
            format!("/api/v1/deployments/{}/logs/export?resource=web", d.id),
        ),
    ] {
        let request = axum::http::Request::get(api)
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let response = tower::ServiceExt::oneshot(app.router.clone(), request)
            .await
            .unwrap();
        assert_eq!(
            response.headers()["content-disposition"],
            portal.header("content-disposition")
        );
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&bytes), portal.body);
    }
    let unnamed = get(
        &app,
        &format!("/deployments/{}/logs/export", d.id),
        Some(token),
    )
    .await;
    assert_eq!(unnamed.status, StatusCode::BAD_REQUEST);

    let stranger = app.org().await;
    let outsider = app
        .user(
            d.org.id,
            UserRole::ReadOnly,
            Some(d.org.other_customer),
            "pw",
        )
        .await;
    for path in [&status_path, &logs_path] {
        let signed_out = get(&app, path, None).await;
        assert_eq!(signed_out.status, StatusCode::SEE_OTHER);
        assert!(signed_out.location().starts_with("/login?next="));
        assert_eq!(
            get(&app, path, Some(&stranger.admin.token)).await.status,
            StatusCode::NOT_FOUND,
            "another organization"
        );
        assert_eq!(
            get(&app, path, Some(&outsider.token)).await.status,
            StatusCode::NOT_FOUND,
            "a customer outside the target's scope"
        );
    }
}

/// HS §2.3 in the portal: a value that became a secret after the line or
/// status was stored is redacted on every portal read path.
#[tokio::test]
async fn secret_values_are_redacted_in_the_tabs_the_live_rows_and_the_exports() {
    let app = TestApp::new(Backend::Memory).await;
    let d = deployed(&app, true).await;
    let token = d.org.customer_reader.token.as_str();
    status(&app, &d, 1, StatusType::Progressing, "saw s3cr3t-value").await;
    logs(&app, &d, "web", &[(1, "token=s3cr3t-value ok")]).await;
    let secret = app
        .post(
            "/api/v1/secrets",
            &d.org.admin.token,
            json!({"key": "TOKEN", "value": "s3cr3t-value", "customerOrganizationId": d.org.customer}),
        )
        .await;
    assert_eq!(secret.status, StatusCode::CREATED, "{:?}", secret.body);
    let id = d.id;
    for (path, shown) in [
        (format!("/deployments/{id}"), "saw ********"),
        (format!("/deployments/{id}?tab=logs"), "token=******** ok"),
        (format!("/ui/deployments/{id}/status"), "saw ********"),
        (
            format!("/ui/deployments/{id}/logs?resource=web"),
            "token=******** ok",
        ),
        (format!("/deployments/{id}/status/export"), "saw ********"),
        (
            format!("/deployments/{id}/logs/export?resource=web"),
            "token=******** ok",
        ),
    ] {
        let page = get(&app, &path, Some(token)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.body.contains(shown), "{path}: {}", page.body);
        assert!(!page.body.contains("s3cr3t-value"), "{path}");
    }
}
