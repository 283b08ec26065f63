//! Image pull Secrets `sh.distr.agent.v1.<release>.pull` (AP §8.2 step 6.2).

use std::collections::BTreeMap;

use async_trait::async_trait;
use distr_domain::agent::pull_secret_name;
use distr_ports::agent::{KubeError, PullSecrets};
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::Api;
use kube::api::{Patch, PatchParams};

use crate::error::api_error;
use crate::{FIELD_MANAGER, KubeCluster};

/// Secret type of a docker `config.json`.
const DOCKER_CONFIG_JSON_TYPE: &str = "kubernetes.io/dockerconfigjson";
/// The key that type requires.
const DOCKER_CONFIG_JSON_KEY: &str = ".dockerconfigjson";

#[async_trait]
impl PullSecrets for KubeCluster {
    async fn ensure_pull_secret(
        &self,
        namespace: &str,
        release_name: &str,
        docker_config_json: &[u8],
    ) -> Result<(), KubeError> {
        let name = pull_secret_name(release_name);
        let secret = Secret {
            metadata: ObjectMeta {
                name: Some(name.clone()),
                ..ObjectMeta::default()
            },
            type_: Some(DOCKER_CONFIG_JSON_TYPE.to_owned()),
            data: Some(BTreeMap::from([(
                DOCKER_CONFIG_JSON_KEY.to_owned(),
                ByteString(docker_config_json.to_vec()),
            )])),
            ..Secret::default()
        };
        let secrets: Api<Secret> = Api::namespaced(self.client.clone(), namespace);
        secrets
            .patch(
                &name,
                &PatchParams::apply(FIELD_MANAGER).force(),
                &Patch::Apply(&secret),
            )
            .await
            .map_err(api_error)?;
        Ok(())
    }
}
