//! The kubernetes agent's multi-document manifest (AP §4.3). The user applies
//! it with `kubectl apply -n <ns>`, so namespaced objects carry no namespace.

use std::fmt::Write as _;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::ManifestInputs;
use super::yaml::quote;
use crate::target::KubernetesScope;

pub(super) fn render(
    inputs: &ManifestInputs<'_>,
    namespace: &str,
    scope: KubernetesScope,
) -> String {
    let mut documents = vec![config_map(inputs)];
    if let Some(secret) = inputs.target_secret {
        documents.push(auth_secret(secret));
    }
    if let Some(config) = inputs.agent_docker_config.filter(|c| !c.is_empty()) {
        documents.push(docker_config_secret(config));
    }
    documents.push(SERVICE_ACCOUNT.to_owned());
    match scope {
        KubernetesScope::Namespace => {
            documents.push(NAMESPACE_ROLE.to_owned());
            documents.push(NAMESPACE_ROLE_BINDING.to_owned());
        }
        KubernetesScope::Cluster => documents.push(cluster_role_binding(namespace)),
    }
    documents.push(deployment(inputs));
    documents.iter().map(|doc| format!("---\n{doc}")).collect()
}

fn config_map(inputs: &ManifestInputs<'_>) -> String {
    let mut data: Vec<(&str, String)> = vec![("DISTR_TARGET_ID", inputs.target_id.to_string())];
    data.extend(inputs.endpoints());
    data.push(("DISTR_INTERVAL", inputs.interval.to_owned()));
    data.push(("DISTR_AGENT_VERSION_ID", inputs.version_id.to_string()));
    data.extend(inputs.registry_env());

    let mut out = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: distr-agent-env\ndata:\n",
    );
    for (key, value) in &data {
        let _ = writeln!(out, "  {key}: {}", quote(value));
    }
    out
}

fn auth_secret(secret: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: distr-agent-auth\ntype: Opaque\n\
         stringData:\n  DISTR_TARGET_SECRET: {}\n",
        quote(secret)
    )
}

fn docker_config_secret(config: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: distr-agent-dockerconfig\ntype: Opaque\n\
         data:\n  config.json: {}\n",
        quote(&STANDARD.encode(config.as_bytes()))
    )
}

const SERVICE_ACCOUNT: &str =
    "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: distr-agent\n";

const NAMESPACE_ROLE: &str = concat!(
    "apiVersion: rbac.authorization.k8s.io/v1\n",
    "kind: Role\n",
    "metadata:\n",
    "  name: namespace-admin\n",
    "rules:\n",
    "  - apiGroups:\n",
    "      - '*'\n",
    "    resources:\n",
    "      - '*'\n",
    "    verbs:\n",
    "      - '*'\n",
);

const NAMESPACE_ROLE_BINDING: &str = concat!(
    "apiVersion: rbac.authorization.k8s.io/v1\n",
    "kind: RoleBinding\n",
    "metadata:\n",
    "  name: distr-agent\n",
    "subjects:\n",
    "  - kind: ServiceAccount\n",
    "    name: distr-agent\n",
    "roleRef:\n",
    "  apiGroup: rbac.authorization.k8s.io\n",
    "  kind: Role\n",
    "  name: namespace-admin\n",
);

fn cluster_role_binding(namespace: &str) -> String {
    format!(
        concat!(
            "apiVersion: rbac.authorization.k8s.io/v1\n",
            "kind: ClusterRoleBinding\n",
            "metadata:\n",
            "  name: {name}\n",
            "subjects:\n",
            "  - kind: ServiceAccount\n",
            "    name: distr-agent\n",
            "    namespace: {namespace}\n",
            "roleRef:\n",
            "  apiGroup: rbac.authorization.k8s.io\n",
            "  kind: ClusterRole\n",
            "  name: cluster-admin\n",
        ),
        name = quote(&format!("distr-agent-{namespace}")),
        namespace = quote(namespace),
    )
}

fn deployment(inputs: &ManifestInputs<'_>) -> String {
    let resources = match inputs.resources {
        Some(r) => format!(
            concat!(
                "            limits:\n",
                "              memory: {}\n",
                "              cpu: {}\n",
                "            requests:\n",
                "              memory: {}\n",
                "              cpu: {}\n",
            ),
            quote(&r.memory_limit),
            quote(&r.cpu_limit),
            quote(&r.memory_request),
            quote(&r.cpu_request),
        ),
        None => concat!(
            "            limits:\n",
            "              memory: '256Mi'\n",
            "              cpu: '500m'\n",
            "            requests:\n",
            "              memory: '256Mi'\n",
        )
        .to_owned(),
    };
    format!(
        concat!(
            "apiVersion: apps/v1\n",
            "kind: Deployment\n",
            "metadata:\n",
            "  name: distr-agent\n",
            "spec:\n",
            "  selector:\n",
            "    matchLabels:\n",
            "      app: distr-agent\n",
            "  replicas: 1\n",
            "  strategy:\n",
            "    type: Recreate\n",
            "  template:\n",
            "    metadata:\n",
            "      labels:\n",
            "        app: distr-agent\n",
            "    spec:\n",
            "      serviceAccountName: distr-agent\n",
            "      securityContext:\n",
            "        runAsNonRoot: true\n",
            "      containers:\n",
            "        - name: distr-agent\n",
            "          image: {image}\n",
            "          imagePullPolicy: IfNotPresent\n",
            "          env:\n",
            "            - name: DOCKER_CONFIG\n",
            "              value: /opt/config/.docker/\n",
            "            - name: DISTR_AGENT_CONFIG_DIRS\n",
            "              value: |\n",
            "                /opt/config/.agent/env\n",
            "                /opt/config/.agent/auth\n",
            "          envFrom:\n",
            "            - secretRef:\n",
            "                name: distr-agent-auth\n",
            "            - configMapRef:\n",
            "                name: distr-agent-env\n",
            "          resources:\n",
            "{resources}",
            "          volumeMounts:\n",
            "            - name: dockerconfig\n",
            "              mountPath: /opt/config/.docker/\n",
            "            - name: env\n",
            "              mountPath: /opt/config/.agent/env\n",
            "            - name: auth\n",
            "              mountPath: /opt/config/.agent/auth\n",
            "            - name: cache\n",
            "              mountPath: /.cache/\n",
            "      volumes:\n",
            "        - name: dockerconfig\n",
            "          secret:\n",
            "            secretName: distr-agent-dockerconfig\n",
            "            optional: true\n",
            "        - name: env\n",
            "          configMap:\n",
            "            name: distr-agent-env\n",
            "        - name: auth\n",
            "          secret:\n",
            "            secretName: distr-agent-auth\n",
            "        - name: cache\n",
            "          emptyDir: {{}}\n",
        ),
        image = quote(&inputs.image()),
        resources = resources,
    )
}
