//! `/applications`, `/applications/{id}` and its versions (HS §4.4; HS §7
//! item 45): create, rename, delete, archive/unarchive, the file view and
//! the `?from=` prefill, with JavaScript off.

use axum::http::StatusCode;
use serde_json::json;

use super::html::{assert_no_external_host, docker_target, get, post, post_raw};
use super::support::{Backend, COMPOSE, TestApp, b64};

#[tokio::test]
async fn a_vendor_creates_an_application_with_a_docker_and_a_helm_version() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let empty = get(&app, "/applications", Some(admin)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No applications yet"));
    let created = post(
        &app,
        "/applications",
        admin,
        &[("name", "Shop"), ("type", "docker")],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let detail = created.location().to_owned();
    let version = post(
        &app,
        &format!("{detail}/versions"),
        admin,
        &[
            ("name", "v1"),
            ("compose_file", COMPOSE),
            ("template_file", "A=1\n"),
        ],
    )
    .await;
    assert_eq!(version.status, StatusCode::SEE_OTHER, "{}", version.body);
    let invalid = post(
        &app,
        &format!("{detail}/versions"),
        admin,
        &[("name", "v2"), ("compose_file", "services: []\n")],
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert!(invalid.body.contains(r#"id="form-error""#));
    assert!(
        invalid.body.contains("New version of Shop"),
        "the form is shown again"
    );
    assert!(invalid.body.contains(r#"value="v2""#), "input kept");
    let page = get(&app, &detail, Some(admin)).await;
    assert!(page.body.contains("<td>v1</td>"));
    assert!(
        !page.body.contains("<td>v2</td>"),
        "nothing stored on failure"
    );
    assert_no_external_host(&page.body);

    let helm = post(
        &app,
        "/applications",
        admin,
        &[("name", "Web"), ("type", "kubernetes")],
    )
    .await;
    let helm_detail = helm.location().to_owned();
    let chart = post(
        &app,
        &format!("{helm_detail}/versions"),
        admin,
        &[
            ("name", "1.0.0"),
            ("chart_type", "oci"),
            ("chart_url", "oci://registry.example.com/charts/web"),
            ("chart_version", "1.0.0"),
            ("values_file", "replicas: 1\n"),
        ],
    )
    .await;
    assert_eq!(chart.status, StatusCode::SEE_OTHER, "{}", chart.body);
    let list = get(&app, "/applications", Some(admin)).await.body;
    assert!(list.contains("Docker Compose"));
    assert!(list.contains("Helm chart"));
    let apps = app.get("/api/v1/applications", admin).await.body;
    assert_eq!(apps.as_array().unwrap().len(), 2);
    let wizard = get(&app, "/deployments/new", Some(admin)).await.body;
    assert!(wizard.contains("Shop v1 (docker)"));
    assert!(wizard.contains("Web 1.0.0 (kubernetes)"));
}

#[tokio::test]
async fn customers_and_readers_cannot_manage_applications() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let customer = get(&app, "/applications", Some(&org.customer_admin.token)).await;
    assert_eq!(customer.status, StatusCode::FORBIDDEN);
    let reader = get(&app, "/applications", Some(&org.reader.token)).await;
    assert_eq!(reader.status, StatusCode::OK);
    assert!(
        !reader.body.contains("New application"),
        "hidden for read-only"
    );
    let refused = post(
        &app,
        "/applications",
        &org.reader.token,
        &[("name", "X"), ("type", "docker")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// The id of the version called `name` in the application at `detail`.
async fn version_id(app: &TestApp, token: &str, detail: &str, name: &str) -> String {
    let app_id = detail.trim_start_matches("/applications/");
    let view = app
        .get(&format!("/api/v1/applications/{app_id}"), token)
        .await;
    view.body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_vendor_archives_a_version_and_the_wizard_no_longer_offers_it() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let created = post(
        &app,
        "/applications",
        admin,
        &[("name", "Shop"), ("type", "docker")],
    )
    .await;
    let detail = created.location().to_owned();
    for name in ["v1", "v2"] {
        let version = post(
            &app,
            &format!("{detail}/versions"),
            admin,
            &[
                ("name", name),
                ("compose_file", COMPOSE),
                ("template_file", "A=1\n"),
            ],
        )
        .await;
        assert_eq!(version.status, StatusCode::SEE_OTHER, "{}", version.body);
    }
    let v1 = version_id(&app, admin, &detail, "v1").await;
    let wizard = get(&app, "/deployments/new", Some(admin)).await.body;
    assert!(wizard.contains("Shop v1 (docker)"));

    let archived = post(
        &app,
        &format!("{detail}/versions/{v1}/archive"),
        admin,
        &[("archived", "on")],
    )
    .await;
    assert_eq!(archived.status, StatusCode::SEE_OTHER, "{}", archived.body);
    assert_eq!(archived.location(), format!("{detail}?notice=archived"));
    let page = get(&app, archived.location(), Some(admin)).await.body;
    assert!(page.contains("the deploy wizard no longer offers it"));
    assert!(page.contains(r#"<span class="badge archived">archived</span>"#));
    assert!(page.contains(">Unarchive</button>"));
    let api = app.get(&format!("/api/v1{detail}"), admin).await.body;
    assert!(api["versions"][0]["archivedAt"].is_string(), "{api}");
    let wizard = get(&app, "/deployments/new", Some(admin)).await.body;
    assert!(
        !wizard.contains("Shop v1 (docker)"),
        "archived: not offered"
    );
    assert!(wizard.contains("Shop v2 (docker)"));

    let hidden = get(&app, &format!("{detail}?hide_archived=1"), Some(admin))
        .await
        .body;
    assert!(!hidden.contains(&format!(r#"data-version="{v1}""#)));
    assert!(hidden.contains("Show archived (1)"));
    assert!(page.contains(&format!(r#"data-version="{v1}""#)));

    let unarchived = post(
        &app,
        &format!("{detail}/versions/{v1}/archive"),
        admin,
        &[("archived", "off")],
    )
    .await;
    assert_eq!(unarchived.status, StatusCode::SEE_OTHER);
    let wizard = get(&app, "/deployments/new", Some(admin)).await.body;
    assert!(wizard.contains("Shop v1 (docker)"), "offered again");
}

#[tokio::test]
async fn rename_delete_file_view_and_prefill_without_javascript() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let created = post(
        &app,
        "/applications",
        admin,
        &[("name", "Shop"), ("type", "docker")],
    )
    .await;
    let detail = created.location().to_owned();
    let added = post(
        &app,
        &format!("{detail}/versions"),
        admin,
        &[
            ("name", "v1"),
            ("compose_file", COMPOSE),
            ("template_file", "SECRET_HINT=1\n"),
        ],
    )
    .await;
    assert_eq!(added.location(), format!("{detail}?notice=version-created"));
    let v1 = version_id(&app, admin, &detail, "v1").await;

    // Rename: errors inline with the input kept, then success.
    let bad = post(&app, &format!("{detail}/rename"), admin, &[("name", " ")]).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains(r#"id="form-error""#));
    let renamed = post(
        &app,
        &format!("{detail}/rename"),
        admin,
        &[("name", "Webshop")],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    let page = get(&app, renamed.location(), Some(admin)).await.body;
    assert!(page.contains("<h1>Webshop"));
    assert!(page.contains("Application renamed."));
    assert_no_external_host(&page);

    // The read-only file view with copy buttons.
    let view = get(&app, &format!("{detail}/versions/{v1}"), Some(admin)).await;
    assert_eq!(view.status, StatusCode::OK);
    assert!(view.body.contains(r#"<pre id="file-compose">services:"#));
    assert!(view.body.contains(r#"data-copy="file-compose""#));
    assert!(view.body.contains(r#"data-copy="file-template""#));
    assert!(view.body.contains("SECRET_HINT=1"));
    assert!(!view.body.contains("<textarea"), "read-only");
    assert_no_external_host(&view.body);

    // `?from=` prefills the files but not the name.
    let blank = get(&app, &format!("{detail}/versions/new"), Some(admin)).await;
    assert_eq!(blank.status, StatusCode::OK);
    assert!(blank.body.contains(r#"id="compose-file"></textarea>"#));
    let from = get(
        &app,
        &format!("{detail}/versions/new?from={v1}"),
        Some(admin),
    )
    .await;
    assert_eq!(from.status, StatusCode::OK);
    assert!(from.body.contains("Prefilled from version v1"));
    assert!(from.body.contains(r#"id="compose-file">services:"#));
    assert!(from.body.contains(">SECRET_HINT=1\n</textarea>"));
    assert!(from.body.contains(r#"id="version-name" value="""#));
    let foreign = get(
        &app,
        &format!("{detail}/versions/new?from={}", uuid::Uuid::now_v7()),
        Some(admin),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);

    // In use: the application and the version cannot be deleted, with an explanation.
    let target = docker_target(&app, admin, "box", None).await;
    let put = app
        .put(
            "/api/v1/deployments",
            admin,
            json!({"deploymentTargetId": target, "applicationVersionId": v1, "envFileData": b64("A=1\n")}),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK, "{:?}", put.body);
    let page = get(&app, &detail, Some(admin)).await.body;
    assert!(page.contains(r#"id="delete-blocked""#));
    assert!(page.contains(r#"id="application-delete" disabled"#));
    assert!(page.contains("1 deployment"));
    assert!(
        !page.contains(&format!("versions/{v1}/delete")),
        "no delete button on a used version"
    );
    let blocked = post(&app, &format!("{detail}/delete"), admin, &[]).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert!(
        blocked
            .body
            .contains("cannot be deleted while a deployment uses")
    );
    let blocked = post(&app, &format!("{detail}/versions/{v1}/delete"), admin, &[]).await;
    assert_eq!(blocked.status, StatusCode::CONFLICT);
    assert!(blocked.body.contains("Version v1 cannot be deleted"));

    // An unused version is deleted; after undeploying, so is the application.
    let v2 = post(
        &app,
        &format!("{detail}/versions"),
        admin,
        &[("name", "v2"), ("compose_file", COMPOSE)],
    )
    .await;
    assert_eq!(v2.status, StatusCode::SEE_OTHER);
    let v2 = version_id(&app, admin, &detail, "v2").await;
    let page = get(&app, &detail, Some(admin)).await.body;
    assert!(page.contains(&format!("versions/{v2}/delete")));
    let deleted = post(&app, &format!("{detail}/versions/{v2}/delete"), admin, &[]).await;
    assert_eq!(
        deleted.location(),
        format!("{detail}?notice=version-deleted")
    );
    let gone = get(&app, &format!("{detail}/versions/{v2}"), Some(admin)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let id = put.body["id"].as_str().unwrap();
    let undeployed = app
        .delete(&format!("/api/v1/deployments/{id}"), admin)
        .await;
    assert_eq!(undeployed.status, StatusCode::NO_CONTENT);
    let removed = post(&app, &format!("{detail}/delete"), admin, &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert_eq!(removed.location(), "/applications");
    assert_eq!(
        get(&app, &detail, Some(admin)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn application_posts_need_csrf_and_a_vendor_writer() {
    let app = TestApp::new(Backend::Memory).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let (app_id, version) = super::html::docker_app(&app, admin, "Shop").await;
    let detail = format!("/applications/{app_id}");
    let posts = [
        (format!("{detail}/rename"), vec![("name", "X")]),
        (format!("{detail}/delete"), vec![]),
        (
            format!("{detail}/versions"),
            vec![("name", "v9"), ("compose_file", COMPOSE)],
        ),
        (
            format!("{detail}/versions/{version}/archive"),
            vec![("archived", "on")],
        ),
        (format!("{detail}/versions/{version}/delete"), vec![]),
    ];
    for (path, fields) in &posts {
        let mut forged = vec![("_csrf", "00")];
        forged.extend_from_slice(fields);
        let refused = post_raw(&app, path, Some(admin), Some(super::html::ORIGIN), &forged).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        let reader = post(&app, path, &org.reader.token, fields).await;
        assert_eq!(reader.status, StatusCode::FORBIDDEN, "{path}");
        let customer = post(&app, path, &org.customer_admin.token, fields).await;
        assert_eq!(customer.status, StatusCode::FORBIDDEN, "{path}");
    }
    let view = app.get(&format!("/api/v1{detail}"), admin).await.body;
    assert_eq!(view["name"], "Shop", "nothing changed");
    assert_eq!(view["versions"].as_array().unwrap().len(), 1);
    assert!(view["versions"][0].get("archivedAt").is_none());
    // Readers see the page and the files, without the write controls.
    let reader = get(&app, &detail, Some(&org.reader.token)).await.body;
    assert!(reader.contains("View files"));
    assert!(!reader.contains(">Archive</button>"));
    assert!(!reader.contains("application-delete"));
    let files = get(
        &app,
        &format!("{detail}/versions/{version}"),
        Some(&org.reader.token),
    )
    .await;
    assert_eq!(files.status, StatusCode::OK);
    let new = get(
        &app,
        &format!("{detail}/versions/new"),
        Some(&org.reader.token),
    )
    .await;
    assert_eq!(new.status, StatusCode::FORBIDDEN);
}
