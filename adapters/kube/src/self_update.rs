//! Self-update: apply the Hub's agent manifest (AP §8.9) by creating every
//! absent object and replacing every existing one.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use async_trait::async_trait;
use distr_ports::agent::{KubeError, ManifestApplier};
use kube::Api;
use kube::api::{DynamicObject, PostParams};
use kube::core::GroupVersion;
use kube::discovery::{ApiGroup, Scope, pinned_group};

use crate::error::api_error;
use crate::manifest::{ManifestObject, parse_manifest};
use crate::{FIELD_MANAGER, KubeCluster};

#[async_trait]
impl ManifestApplier for KubeCluster {
    async fn apply(&self, namespace: &str, manifest: &str) -> Result<(), KubeError> {
        let objects = parse_manifest(manifest)?;
        let mut groups: HashMap<String, ApiGroup> = HashMap::new();
        let params = PostParams {
            field_manager: Some(FIELD_MANAGER.to_owned()),
            ..PostParams::default()
        };
        for object in objects {
            let group = match groups.entry(object.api_version.clone()) {
                Entry::Occupied(known) => known.into_mut(),
                Entry::Vacant(slot) => {
                    let version: GroupVersion = object
                        .api_version
                        .parse()
                        .map_err(|err| KubeError::Manifest(format!("{err}")))?;
                    let group = pinned_group(&self.client, &version)
                        .await
                        .map_err(api_error)?;
                    slot.insert(group)
                }
            };
            let (resource, capabilities) =
                group.recommended_kind(&object.kind).ok_or_else(|| {
                    KubeError::Api(format!(
                        "the server has no {} in {}",
                        object.kind, object.api_version
                    ))
                })?;
            let mut desired = dynamic_object(&object)?;
            let api: Api<DynamicObject> = if capabilities.scope == Scope::Namespaced {
                desired.metadata.namespace = Some(namespace.to_owned());
                Api::namespaced_with(self.client.clone(), namespace, &resource)
            } else {
                desired.metadata.namespace = None;
                Api::all_with(self.client.clone(), &resource)
            };
            match api.get_opt(&object.name).await.map_err(api_error)? {
                None => {
                    api.create(&params, &desired).await.map_err(api_error)?;
                }
                Some(existing) => {
                    desired.metadata.resource_version = existing.metadata.resource_version;
                    api.replace(&object.name, &params, &desired)
                        .await
                        .map_err(api_error)?;
                }
            }
            tracing::info!(kind = %object.kind, name = %object.name, "self-update applied");
        }
        Ok(())
    }
}

fn dynamic_object(object: &ManifestObject) -> Result<DynamicObject, KubeError> {
    serde_json::from_value(object.raw.clone())
        .map_err(|err| KubeError::Manifest(format!("{} {}: {err}", object.kind, object.name)))
}
