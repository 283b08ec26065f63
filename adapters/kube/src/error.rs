//! `kube` errors as the agent reports them.

use distr_ports::agent::KubeError;

/// The API server's own message for a refused request (e.g.
/// `deployments.apps "web" not found`), else the client error text.
pub(crate) fn api_error(err: kube::Error) -> KubeError {
    match err {
        kube::Error::Api(status) => KubeError::Api(status.message),
        other => KubeError::Api(other.to_string()),
    }
}

/// Whether the API server answered 404.
pub(crate) fn is_not_found(err: &kube::Error) -> bool {
    matches!(err, kube::Error::Api(status) if status.code == 404)
}
