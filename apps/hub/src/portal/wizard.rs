//! `/deployments/new`, the deploy wizard (HS §4.5): target (existing or
//! new) and version first, then the configuration, mode and logs. A new
//! target and its deployment are validated together before either is
//! stored; a failed validation creates nothing and shows the errors inline.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use distr_domain::application::VersionContent;
use distr_domain::ids::{ApplicationVersionId, TargetId};
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::page::{Chrome, FormError, PortalError, html_with, see_other};
use super::session::Session;
use super::wizard_owner::{OWNER_POINTER, owner_step, requested};
use super::wizard_secrets::{SecretHelper, helper};
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::deployments::{PutDeployment, deploy_to_new_target, put_deployment};
use crate::user_api::parse_id;
use crate::user_api::targets::{CreateTarget, IdRef, list_visible, validate_new_target};
use crate::user_api::views::b64;

/// An option of a select.
#[derive(Debug)]
pub(super) struct Choice {
    pub id: String,
    pub label: String,
    pub selected: bool,
}

/// The wizard's input, kept when validation fails.
#[derive(Debug, Default, Deserialize)]
pub(super) struct WizardForm {
    #[serde(default)]
    target: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    new_name: String,
    #[serde(default)]
    new_owner: String,
    #[serde(default)]
    new_namespace: String,
    #[serde(default)]
    new_scope: String,
    #[serde(default)]
    config: String,
    #[serde(default)]
    release_name: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    logs: Option<String>,
    /// `1`: back to step 1 (the owner's "change" link), step 2 hidden.
    #[serde(default)]
    step: String,
}

#[derive(Template)]
#[template(path = "portal/wizard.html")]
struct WizardPage {
    chrome: Chrome,
    targets: Vec<Choice>,
    versions: Vec<Choice>,
    /// Step 1's owner select of a new target (vendors only).
    owners: Vec<Choice>,
    /// The new target's owner as step 2 shows it.
    owner_name: String,
    /// Step 1 again with the current choices (step 2's "change" link).
    change_owner: String,
    /// Step 2 is shown once a target and a version are chosen.
    configure: bool,
    new_target: bool,
    kubernetes: bool,
    base_values: String,
    /// Step 4's secret keys of the chosen target's owner.
    secrets: SecretHelper,
    form: WizardForm,
    error: FormError,
}

/// The chosen version's type and its templates, scoped to the organization.
async fn version_facts(
    state: &AppState,
    session: &Session,
    id: ApplicationVersionId,
) -> Result<(bool, String, String), ApiError> {
    let version = state
        .store
        .get_versions(&[id])
        .await?
        .pop()
        .ok_or_else(ApiError::not_found)?;
    state
        .store
        .get_application(session.principal.organization_id, version.application_id)
        .await?;
    Ok(match version.content {
        VersionContent::Docker { template_file, .. } => {
            (false, template_file.unwrap_or_default(), String::new())
        }
        VersionContent::Kubernetes {
            values_file,
            template_file,
            ..
        } => (
            true,
            template_file.unwrap_or_default(),
            values_file.unwrap_or_default(),
        ),
    })
}

async fn build(
    state: &AppState,
    session: &Session,
    mut form: WizardForm,
    error: FormError,
    prefill: bool,
) -> Result<WizardPage, PortalError> {
    let principal = &session.principal;
    let targets_views = list_visible(state, principal).await?;
    let mut targets: Vec<Choice> = targets_views
        .iter()
        .map(|t| Choice {
            id: t.id.to_string(),
            label: format!(
                "{} ({}, {})",
                t.name,
                t.target_type,
                t.customer_organization
                    .as_ref()
                    .map_or("Internal", |c| c.name.as_str())
            ),
            selected: form.target == t.id.to_string(),
        })
        .collect();
    targets.push(Choice {
        id: "new".to_owned(),
        label: "New target…".to_owned(),
        selected: form.target == "new",
    });
    let mut versions = Vec::new();
    for app in state
        .store
        .list_applications(principal.organization_id)
        .await
        .map_err(ApiError::from)?
    {
        let list = state
            .store
            .list_versions(app.id)
            .await
            .map_err(ApiError::from)?;
        // Newest first, so the newest is preselected.
        for v in list.iter().rev().filter(|v| v.archived_at.is_none()) {
            versions.push(Choice {
                id: v.id.to_string(),
                label: format!(
                    "{} {} ({})",
                    app.name.as_str(),
                    v.name.as_str(),
                    app.app_type.as_str()
                ),
                selected: form.version == v.id.to_string(),
            });
        }
    }
    let owner = owner_step(state, principal, &form.new_owner).await?;
    let new_target = form.target == "new";
    let mut error = error;
    // A refused owner keeps the wizard on step 1, the reason shown inline.
    let owner_error = owner.error.filter(|_| new_target);
    if let Some(reason) = owner_error
        && error.field(OWNER_POINTER).is_empty()
    {
        error = ApiError::validation("invalid deployment target")
            .with_field(OWNER_POINTER, reason)
            .into();
    }
    if owner_error.is_none() {
        form.new_owner = owner.value();
    }
    let version_id = parse_id::<ApplicationVersionId>(&form.version).ok();
    let configure = !form.target.is_empty()
        && version_id.is_some()
        && form.step != "1"
        && owner_error.is_none();
    let (mut kubernetes, mut base_values) = (false, String::new());
    let mut secrets = SecretHelper::default();
    if configure {
        // The owner the chosen (or new) target resolves secrets for.
        let (scope, scope_name) = if new_target {
            (owner.owner, owner.name.clone())
        } else {
            targets_views
                .iter()
                .find(|t| t.id.to_string() == form.target)
                .and_then(|t| t.customer_organization.as_ref())
                .map_or((None, String::new()), |c| (Some(c.id), c.name.clone()))
        };
        secrets = helper(state, principal, scope, &scope_name).await?;
    }
    if let Some(id) = version_id.filter(|_| configure) {
        let (k8s, template, base) = version_facts(state, session, id).await?;
        kubernetes = k8s;
        base_values = base;
        if prefill {
            form.config = template;
            form.logs = Some("on".to_owned());
            form.mode = "compose".to_owned();
        }
    }
    Ok(WizardPage {
        chrome: Chrome::new(state, session, "deployments"),
        targets,
        versions,
        change_owner: format!(
            "/deployments/new?step=1&target={}&version={}&new_owner={}#wizard-owner",
            form.target,
            form.version,
            owner.value()
        ),
        owners: owner.choices,
        owner_name: owner.name,
        configure,
        new_target,
        kubernetes,
        base_values,
        secrets,
        form,
        error,
    })
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    session.principal.require_write()?;
    let param = |name: &str| query.get(name).cloned().unwrap_or_default();
    let form = WizardForm {
        target: param("target"),
        version: param("version"),
        new_owner: param("new_owner"),
        step: param("step"),
        ..WizardForm::default()
    };
    let page = build(&state, &session, form, FormError::default(), true).await?;
    let status = if page.error.detail.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(html_with(status, &page))
}

/// Blank input means "none"; anything else is kept verbatim.
fn some(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_owned())
}

pub(super) async fn submit(
    State(state): State<AppState>,
    CsrfForm(session, form): CsrfForm<WizardForm>,
) -> Result<Response, PortalError> {
    match deploy(&state, &session, &form).await {
        Ok(Outcome::Existing(id)) => Ok(see_other(&format!("/deployments/{id}?notice=deployed"))),
        Ok(Outcome::NewTarget(id)) => Ok(see_other(&format!("/deployment-targets/{id}/connect"))),
        Err(err) if err.status == StatusCode::BAD_REQUEST => {
            let page = build(&state, &session, form, err.into(), false).await?;
            Ok(html_with(StatusCode::BAD_REQUEST, &page))
        }
        Err(err) => Err(err.into()),
    }
}

enum Outcome {
    Existing(String),
    NewTarget(TargetId),
}

async fn deploy(
    state: &AppState,
    session: &Session,
    form: &WizardForm,
) -> Result<Outcome, ApiError> {
    let principal = &session.principal;
    let version: ApplicationVersionId = form.version.parse().map_err(|_| {
        ApiError::validation("choose a version").with_field("/applicationVersionId", "required")
    })?;
    let (kubernetes, _, _) = version_facts(state, session, version).await?;
    let config = some(&form.config).map(|c| b64(&c));
    let mut body = PutDeployment {
        application_version_id: Some(version),
        logs_enabled: Some(form.logs.is_some()),
        ..PutDeployment::default()
    };
    if kubernetes {
        body.values_yaml = config.map(Some);
        body.release_name = some(&form.release_name);
    } else {
        body.env_file_data = config.map(Some);
        body.docker_type = Some(
            if form.mode == "swarm" {
                "swarm"
            } else {
                "compose"
            }
            .to_owned(),
        );
    }
    if form.target == "new" {
        let owner = requested(&form.new_owner).map_err(|reason| {
            ApiError::validation("invalid deployment target").with_field(OWNER_POINTER, reason)
        })?;
        let create = CreateTarget {
            name: form.new_name.clone(),
            target_type: if kubernetes { "kubernetes" } else { "docker" }.to_owned(),
            namespace: kubernetes.then(|| form.new_namespace.trim().to_owned()),
            scope: kubernetes.then(|| form.new_scope.trim().to_owned()),
            customer_organization: owner.map(|id| IdRef { id }),
            ..CreateTarget::default()
        };
        let target = validate_new_target(state, principal, create).await?;
        let id = target.id;
        body.deployment_target_id = Some(id);
        deploy_to_new_target(state, principal, target, body).await?;
        return Ok(Outcome::NewTarget(id));
    }
    body.deployment_target_id = Some(form.target.parse().map_err(|_| {
        ApiError::validation("choose a target").with_field("/deploymentTargetId", "required")
    })?);
    let view = put_deployment(state, principal, body).await?;
    Ok(Outcome::Existing(view.id.to_string()))
}
