//! Service list answers → [`ServiceState`] (AP §7.5 swarm inputs, §11g).

use bollard::models::Service;
use distr_domain::agent::ServiceState;

/// Label `docker stack deploy` puts on every service of a stack.
pub const STACK_NAMESPACE_LABEL: &str = "com.docker.stack.namespace";

/// Maps one entry of `GET /services?status=true`.
///
/// Without `ServiceStatus` (the engine omits it unless status was
/// requested) both counts are 0, which the check reads as healthy: the
/// adapter therefore always requests status.
#[must_use]
pub fn service_state(service: &Service) -> ServiceState {
    let spec = service.spec.as_ref();
    let mode = spec.and_then(|s| s.mode.as_ref());
    let is_job = mode.is_some_and(|m| m.replicated_job.is_some() || m.global_job.is_some());
    let status = service.service_status.as_ref();
    ServiceState {
        name: service_name(service),
        is_job,
        running: status.and_then(|s| s.running_tasks).unwrap_or(0),
        desired: status.and_then(|s| s.desired_tasks).unwrap_or(0),
    }
}

/// The spec's name, or the id when the engine sent no spec.
#[must_use]
pub fn service_name(service: &Service) -> String {
    service
        .spec
        .as_ref()
        .and_then(|s| s.name.clone())
        .or_else(|| service.id.clone())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests;
