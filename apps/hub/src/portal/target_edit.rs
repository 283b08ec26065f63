//! The target detail's writes besides delete (HS §4.4, §4.5): the edit form
//! (name, metrics, agent resources) and "Update agent to X", both through
//! the API's `update_target`, so the portal enforces exactly its rules.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::target::AgentResources;
use serde::Deserialize;

use super::csrf::{CsrfForm, NoFields};
use super::page::{FormError, PortalError, see_other};
use super::target::{EditInput, Extra, render};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::agent_versions::{latest_agent_version, update_available};
use crate::user_api::parse_id;
use crate::user_api::target_changes::{UpdateTarget, update_target};
use crate::user_api::targets::{IdRef, view_one};

#[derive(Deserialize)]
pub(super) struct EditForm {
    #[serde(default)]
    name: String,
    /// A checkbox: "on" when checked, absent otherwise.
    #[serde(default)]
    metrics: String,
    #[serde(default)]
    cpu_request: String,
    #[serde(default)]
    memory_request: String,
    #[serde(default)]
    cpu_limit: String,
    #[serde(default)]
    memory_limit: String,
}

impl EditForm {
    /// The API body: four empty resource fields mean "no resources".
    fn body(&self) -> UpdateTarget {
        let quantities = [
            &self.cpu_request,
            &self.memory_request,
            &self.cpu_limit,
            &self.memory_limit,
        ];
        let resources = quantities
            .iter()
            .any(|q| !q.trim().is_empty())
            .then(|| AgentResources {
                cpu_request: self.cpu_request.trim().to_owned(),
                memory_request: self.memory_request.trim().to_owned(),
                cpu_limit: self.cpu_limit.trim().to_owned(),
                memory_limit: self.memory_limit.trim().to_owned(),
            });
        UpdateTarget {
            name: self.name.clone(),
            metrics_enabled: Some(self.metrics == "on"),
            resources,
            ..UpdateTarget::default()
        }
    }

    fn input(self) -> EditInput {
        EditInput {
            name: self.name,
            metrics: self.metrics == "on",
            cpu_request: self.cpu_request,
            memory_request: self.memory_request,
            cpu_limit: self.cpu_limit,
            memory_limit: self.memory_limit,
        }
    }
}

pub(super) async fn edit(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<EditForm>,
) -> Result<Response, PortalError> {
    let id = parse_id(&id)?;
    match update_target(&state, &session.principal, id, form.body()).await {
        Ok(t) => Ok(see_other(&format!(
            "/deployment-targets/{}?notice=saved#edit",
            t.id
        ))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let extra = Extra {
                edit: Some(form.input()),
                edit_error: err.into(),
                ..Extra::default()
            };
            let query = HashMap::new();
            render(&state, &session, id, &query, StatusCode::BAD_REQUEST, extra).await
        }
        Err(err) => Err(err.into()),
    }
}

/// "Update agent to X" (HS §4.5): sets the desired version to the latest,
/// keeping every other field as it is.
pub(super) async fn agent_update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, NoFields {}): CsrfForm<NoFields>,
) -> Result<Response, PortalError> {
    let id = parse_id(&id)?;
    let principal = &session.principal;
    let t = view_one(&state, principal, id).await?;
    principal.require_write()?;
    let latest = latest_agent_version(&state)
        .await?
        .filter(|l| update_available(Some(l), &t.agent_version.name));
    let Some(latest) = latest else {
        let extra = Extra {
            agent_error: FormError::from(ApiError::new(
                StatusCode::CONFLICT,
                "up-to-date",
                format!(
                    "No agent version newer than {} exists.",
                    t.agent_version.name
                ),
            )),
            ..Extra::default()
        };
        let query = HashMap::new();
        return render(&state, &session, id, &query, StatusCode::CONFLICT, extra).await;
    };
    let body = UpdateTarget {
        name: t.name,
        metrics_enabled: Some(t.metrics_enabled),
        resources: t.resources,
        agent_version: Some(IdRef { id: latest.id }),
        ..UpdateTarget::default()
    };
    update_target(&state, principal, id, body).await?;
    Ok(see_other(&format!(
        "/deployment-targets/{id}?notice=agent-update#agent"
    )))
}
