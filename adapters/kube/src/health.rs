//! Readiness of a release's workloads (AP §8.5).

use async_trait::async_trait;
use distr_ports::agent::{KubeError, WorkloadHealth};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use kube::Api;

use crate::KubeCluster;
use crate::error::api_error;
use crate::manifest::parse_manifest;

#[async_trait]
impl WorkloadHealth for KubeCluster {
    async fn check(&self, namespace: &str, manifest: &str) -> Result<usize, KubeError> {
        let objects = parse_manifest(manifest)?;
        for object in &objects {
            let name = object.name.as_str();
            match object.kind.as_str() {
                "Deployment" => {
                    let api: Api<Deployment> = Api::namespaced(self.client.clone(), namespace);
                    deployment_health(&api.get(name).await.map_err(api_error)?)?;
                }
                "StatefulSet" => {
                    let api: Api<StatefulSet> = Api::namespaced(self.client.clone(), namespace);
                    stateful_set_health(&api.get(name).await.map_err(api_error)?)?;
                }
                "DaemonSet" => {
                    let api: Api<DaemonSet> = Api::namespaced(self.client.clone(), namespace);
                    daemon_set_health(&api.get(name).await.map_err(api_error)?)?;
                }
                _ => {}
            }
        }
        Ok(objects.len())
    }
}

fn unhealthy(kind: &str, name: &str, ready: i32, desired: i32) -> KubeError {
    KubeError::Unhealthy(format!(
        "{kind} {name} status check failed: ReadyReplicas ({ready}) is less than desired ({desired})"
    ))
}

/// An absent `spec.replicas` is the API default, 1.
fn replicas_check(
    kind: &str,
    name: &str,
    desired: Option<i32>,
    ready: Option<i32>,
) -> Result<(), KubeError> {
    let (desired, ready) = (desired.unwrap_or(1), ready.unwrap_or(0));
    if ready < desired {
        return Err(unhealthy(kind, name, ready, desired));
    }
    Ok(())
}

fn deployment_health(object: &Deployment) -> Result<(), KubeError> {
    replicas_check(
        "Deployment",
        object.metadata.name.as_deref().unwrap_or_default(),
        object.spec.replicas,
        object.status.as_ref().and_then(|s| s.ready_replicas),
    )
}

fn stateful_set_health(object: &StatefulSet) -> Result<(), KubeError> {
    replicas_check(
        "StatefulSet",
        object.metadata.name.as_deref().unwrap_or_default(),
        object.spec.replicas,
        object.status.as_ref().and_then(|s| s.ready_replicas),
    )
}

/// Fails on `numberUnavailable > 0`, reporting ready and desired pods in
/// the right order (AP §11 note 6).
fn daemon_set_health(object: &DaemonSet) -> Result<(), KubeError> {
    let Some(status) = &object.status else {
        return Ok(());
    };
    if status.number_unavailable.unwrap_or(0) > 0 {
        return Err(unhealthy(
            "DaemonSet",
            object.metadata.name.as_deref().unwrap_or_default(),
            status.number_ready,
            status.desired_number_scheduled,
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_deployment_below_its_replicas_fails_with_the_exact_message() {
        let deployment: Deployment = decode(json!({
            "metadata": {"name": "web"},
            "spec": {"replicas": 3, "selector": {}, "template": {}},
            "status": {"readyReplicas": 1}
        }));
        assert_eq!(
            deployment_health(&deployment).unwrap_err().to_string(),
            "Deployment web status check failed: ReadyReplicas (1) is less than desired (3)"
        );
    }

    #[test]
    fn absent_counts_use_api_defaults() {
        let no_status: StatefulSet = decode(json!({
            "metadata": {"name": "db"},
            "spec": {"selector": {}, "template": {}, "serviceName": "db"}
        }));
        assert_eq!(
            stateful_set_health(&no_status).unwrap_err().to_string(),
            "StatefulSet db status check failed: ReadyReplicas (0) is less than desired (1)"
        );
        let scaled_to_zero: Deployment = decode(json!({
            "metadata": {"name": "idle"},
            "spec": {"replicas": 0, "selector": {}, "template": {}}
        }));
        assert!(deployment_health(&scaled_to_zero).is_ok());
    }

    #[test]
    fn a_daemon_set_fails_only_with_unavailable_pods_and_prints_ready_then_desired() {
        let status = |unavailable: i32| -> DaemonSet {
            decode(json!({
                "metadata": {"name": "agent"},
                "status": {
                    "currentNumberScheduled": 3, "desiredNumberScheduled": 3,
                    "numberMisscheduled": 0, "numberReady": 2,
                    "numberUnavailable": unavailable
                }
            }))
        };
        assert!(daemon_set_health(&status(0)).is_ok());
        assert_eq!(
            daemon_set_health(&status(1)).unwrap_err().to_string(),
            "DaemonSet agent status check failed: ReadyReplicas (2) is less than desired (3)"
        );
    }
}
