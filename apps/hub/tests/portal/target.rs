//! `/deployment-targets/{id}` (HS §4.4; HS §7 item 75).

use axum::http::StatusCode;
use distr_domain::ids::{LogRecordId, MetricsSampleId, TargetId};
use distr_domain::telemetry::{MetricsSample, TargetLogRecord};

use super::html::{assert_no_external_host, docker_target, get};
use super::support::{Backend, TestApp};

#[tokio::test]
async fn seeded_samples_render_svg_charts_for_one_hour_and_for_24_hours() {
    let app = TestApp::new(Backend::Sqlite).await;
    let org = app.org().await;
    let admin = org.admin.token.as_str();
    let target = docker_target(&app, admin, "box", None).await;
    let id: TargetId = target.parse().unwrap();
    let now = app.state.clock.now();
    for minutes in [5_i64, 20, 50, 120, 600, 1200] {
        let at = now - chrono::Duration::minutes(minutes);
        app.state
            .store
            .insert_metrics(&MetricsSample {
                id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
                deployment_target_id: id,
                created_at: at,
                cpu_cores_millis: 2000,
                cpu_usage: 0.25,
                memory_bytes: 4_000_000_000,
                memory_usage: 0.5,
            })
            .await
            .unwrap();
    }
    app.state
        .store
        .insert_target_logs(&[TargetLogRecord {
            id: LogRecordId::from_uuid(uuid::Uuid::now_v7()),
            deployment_target_id: id,
            created_at: now,
            timestamp: now,
            severity: "INFO".to_owned(),
            body: "agent <started>".to_owned(),
        }])
        .await
        .unwrap();
    let polyline_points = |body: &str| {
        let at = body
            .find("class=\"line-cpu\" points=\"")
            .expect("a cpu line")
            + "class=\"line-cpu\" points=\"".len();
        body[at..].split('"').next().unwrap().split(' ').count()
    };
    let hour = get(
        &app,
        &format!("/deployment-targets/{target}?range=1h"),
        Some(admin),
    )
    .await;
    assert_eq!(hour.status, StatusCode::OK);
    assert!(hour.body.contains(r#"<svg class="chart""#));
    assert!(hour.body.contains("class=\"line-mem\""));
    assert_eq!(
        polyline_points(&hour.body),
        3,
        "three samples in the last hour"
    );
    assert!(
        hour.body.contains("agent &#60;started&#62;"),
        "agent logs, escaped"
    );
    assert!(!hour.body.contains("<script>"), "no inline script");
    assert_no_external_host(&hour.body);
    let day = get(
        &app,
        &format!("/deployment-targets/{target}?range=24h"),
        Some(admin),
    )
    .await;
    assert_eq!(polyline_points(&day.body), 6, "all six samples in 24 h");
    let other = get(
        &app,
        &format!("/deployment-targets/{target}"),
        Some(&org.customer_admin.token),
    )
    .await;
    assert_eq!(
        other.status,
        StatusCode::NOT_FOUND,
        "a vendor target is outside the customer's scope"
    );
}
