//! Self-update: create or replace every object of `/agent/manifest` (AP §8.9).

use distr_ports::agent::ManifestApplier;
use serde_json::{Value, json};

use crate::support::{Exchange, NAMESPACE, fixture, run};

/// Document `index` of the agent manifest as JSON, as the adapter must send
/// it: with the target namespace (namespaced kinds) and the resource version
/// of the object it replaces.
fn document(index: usize, namespace: Option<&str>, resource_version: Option<&str>) -> Value {
    let docs: Vec<Value> = serde_saphyr::from_multiple(&fixture("agent-manifest.yaml")).unwrap();
    let mut doc = docs[index].clone();
    if let Some(namespace) = namespace {
        doc["metadata"]["namespace"] = json!(namespace);
    }
    if let Some(version) = resource_version {
        doc["metadata"]["resourceVersion"] = json!(version);
    }
    doc
}

fn write(exchange: Exchange, body: Value) -> Exchange {
    exchange
        .query("fieldManager", "distr-agent")
        .json_body("application/json", body)
}

#[tokio::test]
async fn absent_objects_are_created_and_existing_ones_replaced() {
    let rbac = "/apis/rbac.authorization.k8s.io/v1";
    let script = vec![
        Exchange::get("/api/v1").reply(200, "discovery-api-v1.json"),
        Exchange::get("/api/v1/namespaces/apps/configmaps/distr-agent-env")
            .reply(404, "status-configmap-not-found.json"),
        write(
            Exchange::post("/api/v1/namespaces/apps/configmaps"),
            document(0, Some("apps"), None),
        )
        .reply(201, "configmap-created.json"),
        Exchange::get("/api/v1/namespaces/apps/serviceaccounts/distr-agent")
            .reply(200, "serviceaccount-existing.json"),
        write(
            Exchange::put("/api/v1/namespaces/apps/serviceaccounts/distr-agent"),
            json!({
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": "distr-agent", "namespace": "apps", "resourceVersion": "812"}
            }),
        )
        .reply(200, "serviceaccount-replaced.json"),
        Exchange::get(rbac).reply(200, "discovery-apis-rbac-v1.json"),
        Exchange::get(&format!("{rbac}/clusterrolebindings/distr-agent-apps"))
            .reply(404, "status-clusterrolebinding-not-found.json"),
        write(
            Exchange::post(&format!("{rbac}/clusterrolebindings")),
            document(2, None, None),
        )
        .reply(201, "clusterrolebinding-created.json"),
        Exchange::get("/apis/apps/v1").reply(200, "discovery-apis-apps-v1.json"),
        Exchange::get("/apis/apps/v1/namespaces/apps/deployments/distr-agent")
            .reply(200, "deployment-agent-existing.json"),
        write(
            Exchange::put("/apis/apps/v1/namespaces/apps/deployments/distr-agent"),
            document(3, Some("apps"), Some("812")),
        )
        .reply(200, "deployment-agent-replaced.json"),
    ];
    let manifest = fixture("agent-manifest.yaml");
    run(script, |cluster| async move {
        cluster.apply(NAMESPACE, &manifest).await
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_first_failure_stops_the_update() {
    let script = vec![
        Exchange::get("/api/v1").reply(200, "discovery-api-v1.json"),
        Exchange::get("/api/v1/namespaces/apps/configmaps/distr-agent-env")
            .reply(403, "status-secrets-forbidden.json"),
    ];
    let manifest = fixture("agent-manifest.yaml");
    let err = run(script, |cluster| async move {
        cluster.apply(NAMESPACE, &manifest).await
    })
    .await
    .unwrap_err();
    assert!(err.to_string().contains("forbidden"), "{err}");
}
