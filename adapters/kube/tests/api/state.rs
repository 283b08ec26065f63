//! State Secrets `sh.distr.agent.v1.<release>` (AP §8.3).

use distr_domain::agent::HelmRecord;
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_ports::agent::{HelmStateStore, KubeError};
use serde_json::json;

use crate::support::{Exchange, NAMESPACE, run};

const SECRETS: &str = "/api/v1/namespaces/apps/secrets";

fn web_record() -> HelmRecord {
    HelmRecord {
        id: "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6b".parse().unwrap(),
        revision_id: "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6c".parse().unwrap(),
        release_name: "web".to_owned(),
        helm_revision: 3,
        logs_enabled: true,
    }
}

#[tokio::test]
async fn list_selects_on_the_label_key_and_skips_an_undecodable_record() {
    let script = vec![
        Exchange::get(SECRETS)
            .query("labelSelector", "agent.distr.sh/deployment")
            .reply(200, "secret-list-state.json"),
    ];
    let records = run(
        script,
        |cluster| async move { cluster.list(NAMESPACE).await },
    )
    .await;
    let legacy = HelmRecord {
        id: DeploymentId::nil(),
        revision_id: "0190a3b4-1c2d-7e8f-9a0b-1c2d3e4f5a6d"
            .parse::<RevisionId>()
            .unwrap(),
        release_name: "legacy".to_owned(),
        helm_revision: 1,
        logs_enabled: false,
    };
    assert_eq!(records.unwrap(), vec![web_record(), legacy]);
}

#[tokio::test]
async fn a_refused_list_is_an_error_with_the_api_message() {
    let script = vec![
        Exchange::get("/api/v1/namespaces/other/secrets")
            .query("labelSelector", "agent.distr.sh/deployment")
            .reply(403, "status-secrets-forbidden.json"),
    ];
    let err = run(script, |cluster| async move { cluster.list("other").await })
        .await
        .unwrap_err();
    assert_eq!(
        err,
        KubeError::Api(
            "secrets is forbidden: User \"system:serviceaccount:apps:distr-agent\" cannot list resource \"secrets\" in API group \"\" in the namespace \"other\"".to_owned()
        )
    );
}

#[tokio::test]
async fn put_server_side_applies_the_labelled_secret_with_the_json_record() {
    // base64 of {"id":…,"revisionId":…,"releaseName":"web","helmRevision":3,"logsEnabled":true}
    let release = "eyJpZCI6IjAxOTBhM2I0LTFjMmQtN2U4Zi05YTBiLTFjMmQzZTRmNWE2YiIsInJldmlzaW9uSWQiOiIwMTkwYTNiNC0xYzJkLTdlOGYtOWEwYi0xYzJkM2U0ZjVhNmMiLCJyZWxlYXNlTmFtZSI6IndlYiIsImhlbG1SZXZpc2lvbiI6MywibG9nc0VuYWJsZWQiOnRydWV9";
    let script = vec![
        Exchange::patch(&format!("{SECRETS}/sh.distr.agent.v1.web"))
            .server_side_apply(json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {
                    "name": "sh.distr.agent.v1.web",
                    "labels": {"agent.distr.sh/deployment": "web"}
                },
                "data": {"release": release}
            }))
            .reply(200, "secret-state-applied.json"),
    ];
    run(script, |cluster| async move {
        cluster.put(NAMESPACE, &web_record()).await
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn delete_removes_the_secret_and_ignores_an_absent_one() {
    let script = vec![
        Exchange::delete(&format!("{SECRETS}/sh.distr.agent.v1.web"))
            .json_body("application/json", json!({}))
            .reply(200, "status-secret-deleted.json"),
        Exchange::delete(&format!("{SECRETS}/sh.distr.agent.v1.gone"))
            .json_body("application/json", json!({}))
            .reply(404, "status-secret-not-found.json"),
    ];
    run(script, |cluster| async move {
        cluster.delete(NAMESPACE, "web").await.unwrap();
        cluster.delete(NAMESPACE, "gone").await.unwrap();
    })
    .await;
}
