//! Application changes and single versions: rename, bulk archive, delete
//! (409 while in use), version metadata and raw files.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use super::deployments::{deploy_body, docker_fixture};
use super::support::{COMPOSE, TestApp, auth_header, b64};

/// Status, content type and body text of a GET.
async fn raw(app: &TestApp, path: &str, token: &str) -> (StatusCode, String, String) {
    let request = Request::get(path)
        .header(header::AUTHORIZATION, auth_header(token))
        .body(Body::empty())
        .unwrap();
    let response = tower::ServiceExt::oneshot(app.router.clone(), request)
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        content_type,
        String::from_utf8(bytes.to_vec()).unwrap(),
    )
}

async fn patch(
    app: &TestApp,
    path: &str,
    token: &str,
    body: serde_json::Value,
) -> super::support::Reply {
    app.call(axum::http::Method::PATCH, path, Some(token), Some(body))
        .await
}

/// An application with one docker version (with a template file): (app id, version id).
async fn docker_app(app: &TestApp, token: &str) -> (String, String) {
    let created = app
        .post(
            "/api/v1/applications",
            token,
            json!({"name": "Web", "type": "docker"}),
        )
        .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    let version = app
        .post(
            &format!("/api/v1/applications/{id}/versions"),
            token,
            json!({"name": "v1", "composeFile": b64(COMPOSE), "templateFile": b64("A=1\n")}),
        )
        .await;
    assert_eq!(version.status, StatusCode::CREATED, "{}", version.body);
    (id, version.body["id"].as_str().unwrap().to_owned())
}

// HS §7 item 13: a PUT that changes `type` gets 400 `immutable-field`.
async fn application_rename_keeps_the_type(app: TestApp) {
    let org = app.org().await;
    let (id, _) = docker_app(&app, &org.admin.token).await;
    let path = format!("/api/v1/applications/{id}");
    let renamed = app
        .put(
            &path,
            &org.writer.token,
            json!({"name": "Shop", "type": "docker"}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "Shop");
    assert_eq!(renamed.body["versions"].as_array().unwrap().len(), 1);
    let retyped = app
        .put(
            &path,
            &org.writer.token,
            json!({"name": "Shop", "type": "kubernetes"}),
        )
        .await;
    assert_eq!(retyped.status, StatusCode::BAD_REQUEST);
    assert_eq!(retyped.slug(), "immutable-field");
    assert_eq!(
        app.get(&path, &org.reader.token).await.body["type"],
        "docker"
    );
    for (token, expected) in [
        (&org.reader.token, StatusCode::FORBIDDEN),
        (&org.customer_admin.token, StatusCode::FORBIDDEN),
        (&app.org().await.admin.token, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            app.put(&path, token, json!({"name": "X"})).await.status,
            expected
        );
        assert_eq!(
            patch(&app, &path, token, json!({"name": "X"})).await.status,
            expected
        );
        assert_eq!(app.delete(&path, token).await.status, expected);
    }
}

// HS §3.4: PATCH archives and unarchives versions in bulk; an unknown version changes nothing.
async fn patch_archives_and_unarchives_versions(app: TestApp) {
    let org = app.org().await;
    let (id, v1) = docker_app(&app, &org.admin.token).await;
    let path = format!("/api/v1/applications/{id}");
    let archived = patch(
        &app,
        &path,
        &org.writer.token,
        json!({"name": "Renamed", "versions": [{"id": v1, "archivedAt": "2026-01-02T03:04:05.123456Z"}]}),
    )
    .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    assert_eq!(archived.body["name"], "Renamed");
    assert_eq!(
        archived.body["versions"][0]["archivedAt"],
        "2026-01-02T03:04:05.123456Z"
    );
    let foreign = docker_app(&app, &org.admin.token).await.1;
    let refused = patch(
        &app,
        &path,
        &org.writer.token,
        json!({"versions": [{"id": v1, "archivedAt": null}, {"id": foreign, "archivedAt": null}]}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(refused.body["errors"][0]["pointer"], "/versions/1/id");
    let still = app
        .get(&format!("{path}/versions/{v1}"), &org.reader.token)
        .await;
    assert_eq!(still.body["archivedAt"], "2026-01-02T03:04:05.123456Z");
    let restored = patch(
        &app,
        &path,
        &org.writer.token,
        json!({"versions": [{"id": v1, "archivedAt": null}]}),
    )
    .await;
    assert_eq!(restored.status, StatusCode::OK);
    assert!(restored.body["versions"][0].get("archivedAt").is_none());
}

// HS §7 items 70 and 71: delete is 409 `in-use` while a revision references a version.
async fn applications_and_versions_in_use_cannot_be_deleted(app: TestApp) {
    let f = docker_fixture(&app).await;
    let deployed = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=1\n"),
        )
        .await;
    assert_eq!(deployed.status, StatusCode::OK, "{}", deployed.body);
    let app_id = deployed.body["applicationId"].as_str().unwrap();
    let app_path = format!("/api/v1/applications/{app_id}");
    let version_path = format!("{app_path}/versions/{}", f.version);
    for path in [&app_path, &version_path] {
        let reply = app.delete(path, &f.org.admin.token).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{path}");
        assert_eq!(reply.slug(), "in-use");
    }
    // An archived version is refused for new deployments but the existing one redeploys.
    let archived = app
        .put(
            &version_path,
            &f.org.writer.token,
            json!({"name": "v1", "archivedAt": "2026-01-01T00:00:00Z"}),
        )
        .await;
    assert_eq!(archived.status, StatusCode::OK, "{}", archived.body);
    let fresh = app
        .put(
            "/api/v1/deployments",
            &f.org.admin.token,
            deploy_body(&f, "A=2\n"),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::BAD_REQUEST);
    assert_eq!(fresh.slug(), "archived-version");
    let mut restart = deploy_body(&f, "A=1\n");
    restart["deploymentId"] = deployed.body["id"].clone();
    restart["forceRestart"] = json!(true);
    let restarted = app
        .put("/api/v1/deployments", &f.org.admin.token, restart)
        .await;
    assert_eq!(restarted.status, StatusCode::OK, "{}", restarted.body);

    let undeploy = format!(
        "/api/v1/deployments/{}",
        deployed.body["id"].as_str().unwrap()
    );
    assert_eq!(
        app.delete(&undeploy, &f.org.admin.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&version_path, &f.org.writer.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&version_path, &f.org.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.delete(&app_path, &f.org.writer.token).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.get(&app_path, &f.org.admin.token).await.status,
        StatusCode::NOT_FOUND
    );
}

// HS §7 items 14 and 19: raw files are exact, `application/yaml`, empty when unset,
// and 404 for a version of another organization; customers read, vendor writers change.
async fn versions_are_read_by_everyone_and_changed_by_vendor_writers(app: TestApp) {
    let org = app.org().await;
    let (id, vid) = docker_app(&app, &org.admin.token).await;
    let path = format!("/api/v1/applications/{id}/versions/{vid}");
    let meta = app.get(&path, &org.customer_reader.token).await;
    assert_eq!(meta.status, StatusCode::OK);
    assert_eq!(meta.body["name"], "v1");
    assert!(meta.body.get("composeFile").is_none());
    for (file, expected) in [
        ("compose-file", COMPOSE),
        ("template-file", "A=1\n"),
        ("values-file", ""),
    ] {
        let (status, content_type, text) =
            raw(&app, &format!("{path}/{file}"), &org.customer_reader.token).await;
        assert_eq!(status, StatusCode::OK, "{file}");
        assert_eq!(content_type, "application/yaml");
        assert_eq!(text, expected, "{file}");
    }
    let stranger = app.org().await;
    for suffix in ["", "/compose-file", "/values-file", "/template-file"] {
        let (status, _, _) = raw(&app, &format!("{path}{suffix}"), &stranger.admin.token).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{suffix}");
    }
    // The version under another application of the same organization is not found either.
    let (other_app, _) = docker_app(&app, &org.admin.token).await;
    let (status, _, _) = raw(
        &app,
        &format!("/api/v1/applications/{other_app}/versions/{vid}"),
        &org.admin.token,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    for (token, expected) in [
        (&org.reader.token, StatusCode::FORBIDDEN),
        (&org.customer_admin.token, StatusCode::FORBIDDEN),
        (&org.customer_writer.token, StatusCode::FORBIDDEN),
        (&stranger.admin.token, StatusCode::NOT_FOUND),
    ] {
        assert_eq!(
            app.put(&path, token, json!({"name": "v2"})).await.status,
            expected
        );
        assert_eq!(app.delete(&path, token).await.status, expected);
    }
    let renamed = app
        .put(&path, &org.writer.token, json!({"name": "v2"}))
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.body["name"], "v2");
    let (_, _, text) = raw(&app, &format!("{path}/compose-file"), &org.admin.token).await;
    assert_eq!(text, COMPOSE, "files never change");
    app.post(
        &format!("/api/v1/applications/{id}/versions"),
        &org.admin.token,
        json!({"name": "v3", "composeFile": b64(COMPOSE)}),
    )
    .await;
    let taken = app
        .put(&path, &org.writer.token, json!({"name": "v3"}))
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert_eq!(taken.slug(), "duplicate-name");
}

on_both_stores!(
    application_rename_keeps_the_type,
    patch_archives_and_unarchives_versions,
    applications_and_versions_in_use_cannot_be_deleted,
    versions_are_read_by_everyone_and_changed_by_vendor_writers,
);
