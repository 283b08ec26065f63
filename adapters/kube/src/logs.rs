//! Pod logs of a release's workloads (AP §8.7).

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use distr_domain::agent::WorkloadLogLine;
use distr_ports::agent::{KubeError, WorkloadLogs};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::jiff::Timestamp;
use kube::Api;
use kube::api::{ListParams, LogParams};
use kube::core::Selector;

use crate::KubeCluster;
use crate::error::api_error;
use crate::manifest::{ManifestObject, parse_manifest};

/// Bound of one pod-log request (AP §8.7).
const LOG_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Severity of every Kubernetes log line.
const SEVERITY: &str = "Log";

/// Where the pods of a manifest object are found.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PodSource {
    /// Pods matching `selector`, reported as `resource` (`deployments/web`).
    Owned { resource: String, selector: String },
    /// A bare Pod of the manifest, reported by its name.
    Bare(String),
}

#[async_trait]
impl WorkloadLogs for KubeCluster {
    async fn logs_since(
        &self,
        namespace: &str,
        manifest: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<WorkloadLogLine>, KubeError> {
        let since = to_timestamp(since)?;
        let pods: Api<Pod> = Api::namespaced(self.client.clone(), namespace);
        let mut lines = Vec::new();
        for object in parse_manifest(manifest)? {
            match pod_source(&object)? {
                None => {}
                Some(PodSource::Bare(name)) => {
                    let pod = pods.get(&name).await.map_err(api_error)?;
                    lines.extend(pod_logs(&pods, &pod, &name, since).await?);
                }
                Some(PodSource::Owned { resource, selector }) => {
                    let owned = pods
                        .list(&ListParams::default().labels(&selector))
                        .await
                        .map_err(api_error)?;
                    for pod in &owned.items {
                        lines.extend(pod_logs(&pods, pod, &resource, since).await?);
                    }
                }
            }
        }
        Ok(lines)
    }
}

/// The lines of every container of `pod`; a pending pod has none yet.
async fn pod_logs(
    pods: &Api<Pod>,
    pod: &Pod,
    resource: &str,
    since: Timestamp,
) -> Result<Vec<WorkloadLogLine>, KubeError> {
    let phase = pod.status.as_ref().and_then(|s| s.phase.as_deref());
    if phase == Some("Pending") {
        return Ok(Vec::new());
    }
    let name = pod.metadata.name.as_deref().unwrap_or_default();
    let containers = pod.spec.iter().flat_map(|spec| &spec.containers);
    let mut lines = Vec::new();
    for container in containers {
        let params = LogParams {
            container: Some(container.name.clone()),
            timestamps: true,
            since_time: Some(since),
            ..LogParams::default()
        };
        let text = tokio::time::timeout(LOG_REQUEST_TIMEOUT, pods.logs(name, &params))
            .await
            .map_err(|_| KubeError::Api(format!("timed out reading logs of pod {name}")))?
            .map_err(api_error)?;
        lines.extend(
            text.lines()
                .filter(|line| !line.trim().is_empty())
                .map(|line| WorkloadLogLine {
                    resource: resource.to_owned(),
                    severity: SEVERITY.to_owned(),
                    line: line.to_owned(),
                }),
        );
    }
    Ok(lines)
}

/// Workloads are found by their manifest selector, Jobs by the `job-name`
/// label the Job controller sets; other kinds have no pods.
fn pod_source(object: &ManifestObject) -> Result<Option<PodSource>, KubeError> {
    let plural = match object.kind.as_str() {
        "Deployment" => "deployments",
        "StatefulSet" => "statefulsets",
        "DaemonSet" => "daemonsets",
        "ReplicaSet" => "replicasets",
        "Job" => {
            return Ok(Some(PodSource::Owned {
                resource: format!("jobs/{}", object.name),
                selector: format!("job-name={}", object.name),
            }));
        }
        "Pod" => return Ok(Some(PodSource::Bare(object.name.clone()))),
        _ => return Ok(None),
    };
    let invalid =
        |reason: String| KubeError::Manifest(format!("{} {}: {reason}", object.kind, object.name));
    let raw = object
        .raw
        .pointer("/spec/selector")
        .cloned()
        .ok_or_else(|| invalid("no spec.selector".to_owned()))?;
    let selector: LabelSelector =
        serde_json::from_value(raw).map_err(|err| invalid(err.to_string()))?;
    let selector = Selector::try_from(selector).map_err(|err| invalid(err.to_string()))?;
    if selector.selects_all() {
        return Err(invalid("empty spec.selector".to_owned()));
    }
    Ok(Some(PodSource::Owned {
        resource: format!("{plural}/{}", object.name),
        selector: selector.to_string(),
    }))
}

fn to_timestamp(at: DateTime<Utc>) -> Result<Timestamp, KubeError> {
    let nanos = i32::try_from(at.timestamp_subsec_nanos()).unwrap_or(0);
    Timestamp::new(at.timestamp(), nanos).map_err(|err| KubeError::Api(err.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(yaml: &str) -> ManifestObject {
        parse_manifest(yaml).unwrap().remove(0)
    }

    #[test]
    fn workloads_use_their_selector_and_plural_resource() {
        let object = first(
            "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  selector:\n    matchLabels: {app: db, tier: data}\n    matchExpressions:\n    - {key: track, operator: In, values: [stable]}\n",
        );
        assert_eq!(
            pod_source(&object).unwrap(),
            Some(PodSource::Owned {
                resource: "statefulsets/db".to_owned(),
                selector: "app=db,tier=data,track in (stable)".to_owned(),
            })
        );
    }

    #[test]
    fn jobs_pods_and_other_kinds() {
        let job = first("apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\n");
        assert_eq!(
            pod_source(&job).unwrap(),
            Some(PodSource::Owned {
                resource: "jobs/migrate".to_owned(),
                selector: "job-name=migrate".to_owned(),
            })
        );
        let pod = first("apiVersion: v1\nkind: Pod\nmetadata: {name: probe}\n");
        assert_eq!(
            pod_source(&pod).unwrap(),
            Some(PodSource::Bare("probe".to_owned()))
        );
        let service = first("apiVersion: v1\nkind: Service\nmetadata: {name: web}\n");
        assert_eq!(pod_source(&service).unwrap(), None);
    }

    #[test]
    fn a_workload_without_a_usable_selector_is_an_error() {
        let empty = first(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec: {selector: {}}\n",
        );
        assert_eq!(
            pod_source(&empty).unwrap_err().to_string(),
            "invalid manifest: Deployment web: empty spec.selector"
        );
        let missing = first("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: x}\n");
        assert!(pod_source(&missing).is_err());
    }
}
