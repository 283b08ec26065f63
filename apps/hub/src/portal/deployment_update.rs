//! The deployment page's POSTs (HS §4.5): update (version, raw env/values,
//! force restart, ignore revision skew), force restart, the logs toggle and
//! undeploy. All go through the API's inner functions; a refused update or
//! a wrong UNDEPLOY confirmation answers with the page, the error inline and
//! the user's input kept (HS §4.1).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::deployment::{Answer, UpdateInput, blocked, load, render};
use super::dots::Gate;
use super::page::{PortalError, see_other};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::deployment_history::set_logs_enabled;
use crate::user_api::deployments::{PutDeployment, put_deployment, undeploy};
use crate::user_api::parse_id;
use crate::user_api::views::b64;

fn refuse(gate: Gate) -> PortalError {
    ApiError::new(StatusCode::FORBIDDEN, "forbidden", gate.reason()).into()
}

/// Where a successful update or restart returns to.
fn deployed(id: impl std::fmt::Display) -> Response {
    see_other(&format!("/deployments/{id}?notice=deployed"))
}

pub(super) async fn restart(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    let (d, t) = load(&state, &session, &id).await?;
    if !blocked(Gate::ForceRestart, &t).is_empty() {
        return Err(refuse(Gate::ForceRestart));
    }
    let body = PutDeployment {
        deployment_target_id: Some(d.deployment_target_id),
        deployment_id: Some(d.id),
        force_restart: Some(true),
        ..PutDeployment::default()
    };
    put_deployment(&state, &session.principal, body).await?;
    Ok(deployed(d.id))
}

#[derive(Deserialize)]
pub(super) struct LogsForm {
    #[serde(default)]
    enabled: String,
}

pub(super) async fn logs(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<LogsForm>,
) -> Result<Response, PortalError> {
    let (d, t) = load(&state, &session, &id).await?;
    if !blocked(Gate::LogsToggle, &t).is_empty() {
        return Err(refuse(Gate::LogsToggle));
    }
    set_logs_enabled(&state, &session.principal, &id, form.enabled == "on").await?;
    Ok(see_other(&format!("/deployments/{}", d.id)))
}

#[derive(Deserialize)]
pub(super) struct UpdateForm {
    #[serde(default)]
    version: String,
    #[serde(default)]
    config: String,
    /// Checkboxes: "on" when checked, absent otherwise.
    #[serde(default)]
    force_restart: String,
    #[serde(default)]
    ignore_revision_skew: String,
}

impl UpdateForm {
    fn input(self) -> UpdateInput {
        UpdateInput {
            version: self.version,
            config: self.config,
            force_restart: self.force_restart == "on",
            ignore_revision_skew: self.ignore_revision_skew == "on",
        }
    }
}

/// Re-renders the page with `err` inline in the form `answer` names, with
/// the API's status; errors no form can show (403, 5xx) are error pages.
async fn answer(
    state: &AppState,
    session: &Session,
    id: &str,
    err: ApiError,
    answer: impl FnOnce(ApiError) -> Answer,
) -> Result<Response, PortalError> {
    let inline = [
        StatusCode::BAD_REQUEST,
        StatusCode::NOT_FOUND,
        StatusCode::CONFLICT,
        StatusCode::UNPROCESSABLE_ENTITY,
    ];
    if !inline.contains(&err.status) {
        return Err(err.into());
    }
    let status = err.status;
    render(state, session, id, &HashMap::new(), status, answer(err)).await
}

pub(super) async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<UpdateForm>,
) -> Result<Response, PortalError> {
    let (d, t) = load(&state, &session, &id).await?;
    session.principal.require_write()?;
    let input = form.input();
    if input.force_restart && !blocked(Gate::ForceRestart, &t).is_empty() {
        return Err(refuse(Gate::ForceRestart));
    }
    let config = (!input.config.trim().is_empty()).then(|| b64(&input.config));
    let kubernetes = d.release_name.is_some();
    let result = match parse_id(&input.version) {
        Ok(version) => {
            let body = PutDeployment {
                deployment_target_id: Some(d.deployment_target_id),
                deployment_id: Some(d.id),
                application_version_id: Some(version),
                values_yaml: kubernetes.then(|| config.clone()),
                env_file_data: (!kubernetes).then_some(config),
                force_restart: Some(input.force_restart),
                ignore_revision_skew: Some(input.ignore_revision_skew),
                ..PutDeployment::default()
            };
            put_deployment(&state, &session.principal, body).await
        }
        Err(err) => Err(err),
    };
    match result {
        Ok(_) => Ok(deployed(d.id)),
        Err(err) => {
            answer(&state, &session, &id, err, |err| Answer {
                update: Some(input),
                update_error: err.into(),
                ..Answer::default()
            })
            .await
        }
    }
}

#[derive(Deserialize)]
pub(super) struct UndeployForm {
    #[serde(default)]
    confirm: String,
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<UndeployForm>,
) -> Result<Response, PortalError> {
    let (_, t) = load(&state, &session, &id).await?;
    session.principal.require_write()?;
    if !blocked(Gate::Undeploy, &t).is_empty() {
        return Err(refuse(Gate::Undeploy));
    }
    if form.confirm.trim() != "UNDEPLOY" {
        let err = ApiError::validation("type UNDEPLOY to confirm")
            .with_field("/confirm", "must be UNDEPLOY");
        return answer(&state, &session, &id, err, |err| Answer {
            undeploy_error: err.into(),
            ..Answer::default()
        })
        .await;
    }
    undeploy(&state, &session.principal, &id).await?;
    Ok(see_other("/deployments?notice=undeployed"))
}
