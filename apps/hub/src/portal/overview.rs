//! `/deployments`, the targets overview (HS §4.4), and `/ui/health`, the
//! JSON its script polls every 5 s to update dots in place (HS §4.1).

use std::collections::HashMap;

use askama::Template;
use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::dots::{Dot, Gate, ago, connect_action, deployment_dot, target_dot};
use super::gauges::{Gauge, gauges};
use super::page::{Chrome, PortalError, html, see_other};
use super::session::Session;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::agent_versions::{latest_agent_version, update_available};
use crate::user_api::metrics::latest_samples;
use crate::user_api::targets::list_visible;
use crate::user_api::views::{DeploymentView, TargetView};

/// One deployment row of a target card.
#[derive(Debug, Serialize)]
pub(crate) struct DeploymentRow {
    pub id: String,
    pub colour: &'static str,
    pub label: &'static str,
    /// Tooltip: the newest message and its age.
    pub title: String,
    pub pending: bool,
    #[serde(skip)]
    pub application: String,
    #[serde(skip)]
    pub version: String,
    #[serde(skip)]
    pub update_available: bool,
    #[serde(skip)]
    pub mode: String,
    #[serde(skip)]
    pub revised: String,
}

/// One target card.
#[derive(Debug, Serialize)]
pub(crate) struct TargetCard {
    pub id: String,
    pub colour: &'static str,
    pub label: &'static str,
    pub title: String,
    #[serde(rename = "lastSeen")]
    pub last_seen: String,
    pub deployments: Vec<DeploymentRow>,
    #[serde(skip)]
    pub name: String,
    #[serde(skip)]
    pub kind: &'static str,
    #[serde(skip)]
    pub owner: String,
    #[serde(skip)]
    pub desired_version: String,
    #[serde(skip)]
    pub reported_version: String,
    #[serde(skip)]
    pub update_pending: bool,
    #[serde(skip)]
    pub connect: &'static str,
    #[serde(skip)]
    pub can_deploy: bool,
    #[serde(skip)]
    pub deploy_blocked: String,
    /// Edit and Delete in the card menu.
    #[serde(skip)]
    pub can_write: bool,
    /// Whether the target collects metrics.
    #[serde(skip)]
    pub metrics_on: bool,
    /// CPU and memory of the newest sample; empty before the first one.
    #[serde(skip)]
    pub gauges: Vec<Gauge>,
    /// A newer agent than the desired version exists.
    #[serde(skip)]
    pub agent_update: bool,
}

fn tooltip(message: Option<(&str, DateTime<Utc>)>, now: DateTime<Utc>) -> String {
    match message {
        Some(("", at)) => ago(now, at),
        Some((message, at)) => format!("{message} ({})", ago(now, at)),
        None => "nothing reported yet".to_owned(),
    }
}

/// The row of one deployment.
pub(crate) fn deployment_row(d: &DeploymentView, now: DateTime<Utc>) -> DeploymentRow {
    let Dot { colour, label } = deployment_dot(d.health);
    DeploymentRow {
        id: d.id.to_string(),
        colour,
        label,
        title: tooltip(
            d.latest_status
                .as_ref()
                .map(|s| (s.message.as_str(), s.created_at)),
            now,
        ),
        pending: d.revision_pending,
        application: d.application_name.clone(),
        version: d.application_version_name.clone(),
        update_available: d.update_available,
        mode: match (&d.release_name, d.docker_type) {
            (Some(release), _) => release.clone(),
            (None, Some("swarm")) => "Swarm".to_owned(),
            (None, _) => "Compose".to_owned(),
        },
        revised: ago(now, d.deployment_revision_created_at),
    }
}

/// The card of one target.
pub(crate) fn target_card(t: &TargetView, now: DateTime<Utc>, can_write: bool) -> TargetCard {
    let Dot { colour, label } = target_dot(t.connection_state);
    let reported = t.reported_agent_version_name.clone();
    let second_ok = Gate::SecondDeployment.allows(reported.as_deref(), &t.agent_version.name);
    let deploy_blocked = if t.deployments.is_empty() || second_ok {
        String::new()
    } else {
        Gate::SecondDeployment.reason()
    };
    TargetCard {
        id: t.id.to_string(),
        colour,
        label,
        title: tooltip(
            t.current_status
                .as_ref()
                .map(|s| (s.message.as_str(), s.created_at)),
            now,
        ),
        last_seen: t.current_status.as_ref().map_or_else(
            || "never seen".to_owned(),
            |s| format!("last seen {}", ago(now, s.created_at)),
        ),
        deployments: t
            .deployments
            .iter()
            .map(|d| deployment_row(d, now))
            .collect(),
        name: t.name.clone(),
        kind: if t.target_type == "kubernetes" {
            "Kubernetes"
        } else {
            "Docker"
        },
        owner: t
            .customer_organization
            .as_ref()
            .map_or_else(|| "Internal".to_owned(), |c| c.name.clone()),
        desired_version: t.agent_version.name.clone(),
        reported_version: reported.unwrap_or_default(),
        update_pending: t.agent_update_pending,
        connect: if can_write {
            connect_action(t.connection_state).unwrap_or_default()
        } else {
            ""
        },
        can_deploy: can_write,
        deploy_blocked,
        can_write,
        metrics_on: t.metrics_enabled,
        gauges: Vec::new(),
        agent_update: false,
    }
}

/// The cards of `views` with their gauges and "Update agent" badges, the
/// newest samples and the latest agent version each read in one store call.
async fn cards(
    state: &AppState,
    views: &[TargetView],
    can_write: bool,
) -> Result<Vec<TargetCard>, ApiError> {
    let now = state.clock.now();
    let metered: Vec<_> = views.iter().map(|t| (t.id, t.metrics_enabled)).collect();
    let samples = latest_samples(state, &metered).await?;
    let latest = latest_agent_version(state).await?;
    Ok(views
        .iter()
        .map(|t| {
            let mut card = target_card(t, now, can_write);
            if let Some(sample) = samples.get(&t.id) {
                card.gauges = gauges(sample);
            }
            card.agent_update = update_available(latest.as_ref(), &t.agent_version.name);
            card
        })
        .collect())
}

/// Targets of one owner.
#[derive(Debug)]
pub(crate) struct Section {
    pub title: String,
    pub targets: Vec<TargetCard>,
}

#[derive(Template)]
#[template(path = "portal/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    sections: Vec<Section>,
    filter: String,
    notice: String,
    total: usize,
}

/// Fixed notices after a redirect; never user data or secrets.
pub(crate) fn notice_text(key: Option<&String>) -> String {
    match key.map(String::as_str) {
        Some("undeployed") => "Undeployed: the agent removes it on its next poll.",
        Some("deployed") => "Saved: the new revision is applied by the agent within one interval.",
        Some("target-deleted") => "Deployment target deleted.",
        _ => "",
    }
    .to_owned()
}

pub(super) async fn home() -> Response {
    see_other("/deployments")
}

pub(super) async fn page(
    State(state): State<AppState>,
    session: Session,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, PortalError> {
    let views = list_visible(&state, &session.principal).await?;
    let chrome = Chrome::new(&state, &session, "deployments");
    let filter = query.get("q").cloned().unwrap_or_default();
    let needle = filter.trim().to_lowercase();
    let total = views.len();
    let mut sections: Vec<Section> = Vec::new();
    for card in cards(&state, &views, chrome.can_write).await? {
        if !needle.is_empty()
            && !card.name.to_lowercase().contains(&needle)
            && !card.owner.to_lowercase().contains(&needle)
        {
            continue;
        }
        match sections.last_mut() {
            Some(section) if section.title == card.owner => section.targets.push(card),
            _ => sections.push(Section {
                title: card.owner.clone(),
                targets: vec![card],
            }),
        }
    }
    Ok(html(&OverviewPage {
        notice: notice_text(query.get("notice")),
        chrome,
        sections,
        filter,
        total,
    }))
}

#[derive(Serialize)]
pub(super) struct Health {
    targets: Vec<TargetCard>,
}

/// The live state of every visible target and deployment.
pub(super) async fn health(
    State(state): State<AppState>,
    session: Session,
) -> Result<Json<Health>, PortalError> {
    let views = list_visible(&state, &session.principal).await?;
    let now = state.clock.now();
    let can_write = session.principal.role.can_write();
    Ok(Json(Health {
        targets: views
            .iter()
            .map(|t| target_card(t, now, can_write))
            .collect(),
    }))
}
