//! Force restart by the `restartedAt` pod-template annotation (AP §8.6),
//! as `kubectl rollout restart` does.

use async_trait::async_trait;
use chrono::{DateTime, SecondsFormat, Utc};
use distr_ports::agent::{KubeError, WorkloadRestarter};
use k8s_openapi::api::apps::v1::{DaemonSet, Deployment, StatefulSet};
use kube::Api;
use kube::api::{Patch, PatchParams};
use serde_json::{Value, json};

use crate::error::api_error;
use crate::manifest::parse_manifest;
use crate::{FIELD_MANAGER, KubeCluster};

/// The annotation `kubectl rollout restart` sets.
const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

#[async_trait]
impl WorkloadRestarter for KubeCluster {
    async fn restart(
        &self,
        namespace: &str,
        manifest: &str,
        at: DateTime<Utc>,
    ) -> Result<(), KubeError> {
        let patch = restart_patch(at);
        let params = PatchParams {
            field_manager: Some(FIELD_MANAGER.to_owned()),
            ..PatchParams::default()
        };
        let mut failures = Vec::new();
        for object in parse_manifest(manifest)? {
            let client = self.client.clone();
            let name = object.name.as_str();
            let patch = Patch::Strategic(&patch);
            let result = match object.kind.as_str() {
                "Deployment" => Api::<Deployment>::namespaced(client, namespace)
                    .patch(name, &params, &patch)
                    .await
                    .map(drop),
                "DaemonSet" => Api::<DaemonSet>::namespaced(client, namespace)
                    .patch(name, &params, &patch)
                    .await
                    .map(drop),
                "StatefulSet" => Api::<StatefulSet>::namespaced(client, namespace)
                    .patch(name, &params, &patch)
                    .await
                    .map(drop),
                _ => Ok(()),
            };
            if let Err(err) = result {
                failures.push(api_error(err).to_string());
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(KubeError::Several(failures))
        }
    }
}

/// `{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"<RFC 3339>"}}}}}`,
/// the time in whole seconds like Go's `time.RFC3339`.
fn restart_patch(at: DateTime<Utc>) -> Value {
    json!({"spec": {"template": {"metadata": {"annotations": {
        RESTARTED_AT: at.to_rfc3339_opts(SecondsFormat::Secs, true)
    }}}}})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_patch_sets_only_the_annotation_in_whole_seconds() {
        let at = DateTime::parse_from_rfc3339("2026-11-26T21:30:05.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(
            restart_patch(at).to_string(),
            r#"{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T21:30:05Z"}}}}}"#
        );
    }
}
