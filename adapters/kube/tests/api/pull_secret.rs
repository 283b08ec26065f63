//! Pull Secrets `sh.distr.agent.v1.<release>.pull` (AP §8.2 step 6.2).

use distr_ports::agent::PullSecrets;
use serde_json::json;

use crate::support::{Exchange, NAMESPACE, fixture, run};

#[tokio::test]
async fn the_pull_secret_is_applied_as_a_dockerconfigjson_secret_with_the_exact_bytes() {
    let config = fixture("dockerconfig.json");
    // base64 of fixtures/dockerconfig.json
    let encoded =
        "eyJhdXRocyI6eyJyZWdpc3RyeS5leGFtcGxlLmNvbSI6eyJhdXRoIjoiZFhObGNqcHdZWE56In19fQ==";
    let script = vec![
        Exchange::patch("/api/v1/namespaces/apps/secrets/sh.distr.agent.v1.web.pull")
            .server_side_apply(json!({
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": "sh.distr.agent.v1.web.pull"},
                "type": "kubernetes.io/dockerconfigjson",
                "data": {".dockerconfigjson": encoded}
            }))
            .reply(200, "secret-pull-applied.json"),
    ];
    run(script, |cluster| async move {
        cluster
            .ensure_pull_secret(NAMESPACE, "web", config.as_bytes())
            .await
    })
    .await
    .unwrap();
}
