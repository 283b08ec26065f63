//! Pod logs of a release (AP §8.7).

use chrono::{DateTime, Utc};
use distr_domain::agent::WorkloadLogLine;
use distr_ports::agent::{KubeError, WorkloadLogs};

use crate::support::{Exchange, NAMESPACE, fixture, run};

const PODS: &str = "/api/v1/namespaces/apps/pods";
const SINCE: &str = "2026-11-26T21:00:00Z";

fn log_request(pod: &str, container: &str) -> Exchange {
    Exchange::get(&format!("{PODS}/{pod}/log"))
        .query("container", container)
        .query("timestamps", "true")
        .query("sinceTime", SINCE)
}

fn line(resource: &str, text: &str) -> WorkloadLogLine {
    WorkloadLogLine {
        resource: resource.to_owned(),
        severity: "Log".to_owned(),
        line: text.to_owned(),
    }
}

#[tokio::test]
async fn every_container_of_every_running_pod_is_read_with_timestamps_since_the_window() {
    let script = vec![
        Exchange::get(PODS)
            .query(
                "labelSelector",
                "app.kubernetes.io/instance=web,app.kubernetes.io/name=web",
            )
            .reply(200, "pod-list-web.json"),
        log_request("web-7d9c5b8f6d-x2k4p", "web").reply_text("log-web-x2k4p-web.txt"),
        log_request("web-7d9c5b8f6d-x2k4p", "metrics").reply_text("log-web-x2k4p-metrics.txt"),
        Exchange::get(PODS)
            .query(
                "labelSelector",
                "app.kubernetes.io/instance=web,app.kubernetes.io/name=agent",
            )
            .reply(200, "pod-list-empty.json"),
    ];
    let manifest = fixture("release-web.yaml");
    let since: DateTime<Utc> = SINCE.parse().unwrap();
    let lines = run(script, |cluster| async move {
        cluster.logs_since(NAMESPACE, &manifest, since).await
    })
    .await
    .unwrap();
    assert_eq!(
        lines,
        vec![
            line(
                "deployments/web",
                r#"2026-11-26T21:00:01.123456789Z 10.244.0.1 - - [26/Nov/2026:21:00:01 +0000] "GET / HTTP/1.1" 200 615"#
            ),
            line(
                "deployments/web",
                r#"2026-11-26T21:00:02.000000001Z 10.244.0.1 - - [26/Nov/2026:21:00:02 +0000] "GET /health HTTP/1.1" 200 2"#
            ),
            line(
                "deployments/web",
                r#"2026-11-26T21:00:03.5Z level=info msg="scraped" targets=1"#
            ),
        ]
    );
}

#[tokio::test]
async fn an_api_error_fails_the_whole_round() {
    let script = vec![
        Exchange::get(PODS)
            .query(
                "labelSelector",
                "app.kubernetes.io/instance=web,app.kubernetes.io/name=web",
            )
            .reply(200, "pod-list-web.json"),
        log_request("web-7d9c5b8f6d-x2k4p", "web").reply(403, "status-secrets-forbidden.json"),
    ];
    let manifest = fixture("release-web.yaml");
    let since: DateTime<Utc> = SINCE.parse().unwrap();
    let err = run(script, |cluster| async move {
        cluster.logs_since(NAMESPACE, &manifest, since).await
    })
    .await
    .unwrap_err();
    assert!(matches!(err, KubeError::Api(message) if message.contains("forbidden")));
}
