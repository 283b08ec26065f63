//! `/applications` and `/applications/{id}` (HS §4.4; HS §7 item 45 without
//! archiving, which waits for the version-update route).

use axum::http::StatusCode;

use super::html::{assert_no_external_host, get, post};
use super::support::{Backend, COMPOSE, TestApp};

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
