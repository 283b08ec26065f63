//! `POST /agent/metrics`, `PUT /agent/logs` and
//! `PUT /agent/deployment-target-logs` (AP §3.10–§3.12).

use std::collections::hash_map::Entry;
use std::collections::{BTreeSet, HashMap};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use distr_domain::deployment::Deployment;
use distr_domain::ids::{DeploymentId, LogRecordId, MetricsSampleId, RevisionId};
use distr_domain::protocol::{LogRecordInput, MetricsReport, TargetLogInput};
use distr_domain::redact::redact;
use distr_domain::target::DeploymentTarget;
use distr_domain::telemetry::{DeploymentLogRecord, MetricsSample, TargetLogRecord};

use super::extract::AgentPrincipal;
use super::input::json_body;
use super::render::redaction_values;
use crate::problem::ApiError;
use crate::state::AppState;

fn new_log_id() -> LogRecordId {
    LogRecordId::from_uuid(uuid::Uuid::now_v7())
}

/// Handles `POST /agent/metrics`: stored even while metrics are disabled.
///
/// # Errors
/// 400 for bad JSON.
pub async fn post_metrics(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let report: MetricsReport = json_body(&body)?;
    let sample = MetricsSample {
        id: MetricsSampleId::from_uuid(uuid::Uuid::now_v7()),
        deployment_target_id: target.id,
        created_at: state.clock.now(),
        cpu_cores_millis: report.cpu_cores_millis,
        cpu_usage: report.cpu_usage,
        memory_bytes: report.memory_bytes,
        memory_usage: report.memory_usage,
    };
    state.store.insert_metrics(&sample).await?;
    Ok(StatusCode::OK)
}

/// Handles `PUT /agent/logs`: every distinct (deployment, revision) pair must
/// belong to the caller, or the whole batch is rejected and nothing stored.
///
/// # Errors
/// 400 for bad JSON or a foreign pair.
pub async fn put_logs(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let records: Option<Vec<LogRecordInput>> = json_body(&body)?;
    let records = records.unwrap_or_default();
    if records.is_empty() {
        return Ok(StatusCode::NO_CONTENT);
    }
    let deployments = validate_pairs(&state, &target, &records).await?;
    let secrets = redaction_values(&state, &target).await?;
    let stored: Vec<DeploymentLogRecord> = records
        .into_iter()
        .filter(|r| {
            deployments
                .get(&r.deployment_id)
                .is_some_and(|d| d.logs_enabled)
        })
        .map(|r| DeploymentLogRecord {
            id: new_log_id(),
            deployment_id: r.deployment_id,
            deployment_revision_id: r.deployment_revision_id,
            body: redact(&r.body, &secrets),
            resource: r.resource,
            timestamp: r.timestamp,
            severity: r.severity,
        })
        .collect();
    if !stored.is_empty() {
        state.store.insert_deployment_logs(&stored).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

/// Checks each distinct pair once and returns the deployments involved.
async fn validate_pairs(
    state: &AppState,
    target: &DeploymentTarget,
    records: &[LogRecordInput],
) -> Result<HashMap<DeploymentId, Deployment>, ApiError> {
    let pairs: BTreeSet<(DeploymentId, RevisionId)> = records
        .iter()
        .map(|r| (r.deployment_id, r.deployment_revision_id))
        .collect();
    let mut deployments = HashMap::new();
    for (deployment_id, revision_id) in pairs {
        let foreign = || {
            ApiError::bad_request(format!(
                "not found: deployment {deployment_id} and revision {revision_id} does not exist in deployment target {}",
                target.id
            ))
        };
        if let Entry::Vacant(slot) = deployments.entry(deployment_id) {
            match state.store.find_deployment(deployment_id).await? {
                Some(d) if d.deployment_target_id == target.id => {
                    slot.insert(d);
                }
                _ => return Err(foreign()),
            }
        }
        match state.store.find_revision(revision_id).await? {
            Some(rev) if rev.deployment_id == deployment_id => {}
            _ => return Err(foreign()),
        }
    }
    Ok(deployments)
}

/// Handles `PUT /agent/deployment-target-logs` (the agent's own logs).
///
/// # Errors
/// 400 for bad JSON.
pub async fn put_target_logs(
    State(state): State<AppState>,
    AgentPrincipal { target }: AgentPrincipal,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let records: Option<Vec<TargetLogInput>> = json_body(&body)?;
    let records = records.unwrap_or_default();
    if records.is_empty() {
        return Ok(StatusCode::NO_CONTENT);
    }
    let secrets = redaction_values(&state, &target).await?;
    let now = state.clock.now();
    let stored: Vec<TargetLogRecord> = records
        .into_iter()
        .map(|r| TargetLogRecord {
            id: new_log_id(),
            deployment_target_id: target.id,
            created_at: now,
            timestamp: r.timestamp,
            severity: r.severity,
            body: redact(&r.body, &secrets),
        })
        .collect();
    state.store.insert_target_logs(&stored).await?;
    Ok(StatusCode::NO_CONTENT)
}
