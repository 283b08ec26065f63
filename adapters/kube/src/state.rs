//! State Secrets `sh.distr.agent.v1.<release>` (AP §8.3).

use std::collections::BTreeMap;

use async_trait::async_trait;
use distr_domain::agent::{HELM_STATE_LABEL, HelmRecord, state_secret_name};
use distr_ports::agent::{HelmStateStore, KubeError};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::{DeleteParams, ListParams, Patch, PatchParams};

use crate::error::{api_error, is_not_found};
use crate::{FIELD_MANAGER, KubeCluster};

/// The key of `data` that holds the JSON record.
const RECORD_KEY: &str = "release";

#[async_trait]
impl HelmStateStore for KubeCluster {
    async fn list(&self, namespace: &str) -> Result<Vec<HelmRecord>, KubeError> {
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let list = secrets
            .list(&ListParams::default().labels(HELM_STATE_LABEL))
            .await
            .map_err(api_error)?;
        Ok(list.items.iter().filter_map(decode_record).collect())
    }

    async fn put(&self, namespace: &str, record: &HelmRecord) -> Result<(), KubeError> {
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        let secret = state_secret(record)?;
        secrets
            .patch(
                &record.secret_name(),
                &PatchParams::apply(FIELD_MANAGER).force(),
                &Patch::Apply(&secret),
            )
            .await
            .map_err(api_error)?;
        Ok(())
    }

    async fn delete(&self, namespace: &str, release_name: &str) -> Result<(), KubeError> {
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        match secrets
            .delete(&state_secret_name(release_name), &DeleteParams::default())
            .await
        {
            Ok(_) => Ok(()),
            Err(err) if is_not_found(&err) => Ok(()),
            Err(err) => Err(api_error(err)),
        }
    }
}

/// The Secret that holds `record`, as upstream writes it.
fn state_secret(record: &HelmRecord) -> Result<Secret, KubeError> {
    let json = serde_json::to_vec(record).map_err(|err| KubeError::Api(err.to_string()))?;
    Ok(Secret {
        metadata: ObjectMeta {
            name: Some(record.secret_name()),
            labels: Some(BTreeMap::from([(
                HELM_STATE_LABEL.to_owned(),
                record.release_name.clone(),
            )])),
            ..ObjectMeta::default()
        },
        data: Some(BTreeMap::from([(RECORD_KEY.to_owned(), ByteString(json))])),
        ..Secret::default()
    })
}

/// The record of a listed Secret; one that cannot be decoded is skipped
/// with a warning so it blocks no other release (the port's contract).
fn decode_record(secret: &Secret) -> Option<HelmRecord> {
    let name = secret.metadata.name.as_deref().unwrap_or_default();
    let Some(ByteString(bytes)) = secret.data.as_ref().and_then(|d| d.get(RECORD_KEY)) else {
        tracing::warn!(secret = name, "state secret has no release record; skipped");
        return None;
    };
    match serde_json::from_slice(bytes) {
        Ok(record) => Some(record),
        Err(err) => {
            tracing::warn!(secret = name, error = %err, "state secret has an invalid release record; skipped");
            None
        }
    }
}
