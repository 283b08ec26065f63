//! The HS §3.8 checks of `PUT /deployments`, in order, ending with a trial
//! rendering; nothing is stored unless all of them pass.

use axum::http::StatusCode;
use distr_domain::application::PlatformType;
use distr_domain::deployment::{Deployment, DeploymentRevision, DockerType, RevisionTrigger};
use distr_domain::ids::{DeploymentId, RevisionId};
use distr_domain::render::{RenderError, RenderInput, check_renderable};
use distr_domain::target::DeploymentTarget;
use distr_domain::validation::{ReleaseName, slugify_release_name};

use super::PutDeployment;
use crate::agent_api::render::owner_secrets;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::versions::decode_file;

/// What `PUT /deployments` will store.
#[derive(Debug)]
pub(super) struct Planned {
    /// Whether the deployment is new.
    pub create: bool,
    /// The deployment (new, or the existing one with `logsEnabled` applied).
    pub deployment: Deployment,
    /// The new revision.
    pub revision: DeploymentRevision,
    /// Whether `logsEnabled` of an existing deployment changes.
    pub logs_changed: bool,
}

fn bad(slug: &'static str, detail: &str) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, slug, detail)
}

/// 400 `release-name-conflict`.
pub(super) fn release_name_conflict() -> ApiError {
    bad(
        "release-name-conflict",
        "release name must be unique per deployment target",
    )
}

/// Every non-blank, non-comment env line must contain `KEY=`.
fn check_env_lines(env: &str) -> Result<(), ApiError> {
    for (index, line) in env.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line
            .split_once('=')
            .is_none_or(|(key, _)| key.trim().is_empty())
        {
            return Err(
                ApiError::validation(format!("env line {} has no KEY=", index + 1)).with_field(
                    "/envFileData",
                    format!("line {} must have the form KEY=value", index + 1),
                ),
            );
        }
    }
    Ok(())
}

fn render_error(err: &RenderError) -> ApiError {
    let detail = err.to_string();
    match err {
        RenderError::Template { file, .. } => {
            let pointer = if *file == "env file" {
                "/envFileData"
            } else {
                "/valuesYaml"
            };
            bad("template-error", &detail).with_field(pointer, detail.clone())
        }
        RenderError::Merge(_) => {
            bad("values-merge-conflict", &detail).with_field("/valuesYaml", detail.clone())
        }
        RenderError::Values(_) => {
            ApiError::validation(detail.clone()).with_field("/valuesYaml", detail)
        }
        RenderError::Compose(_) => {
            ApiError::validation(detail.clone()).with_field("/applicationVersionId", detail)
        }
        RenderError::TypeMismatch => bad("type-mismatch", &detail),
    }
}

/// New text of a file field: absent keeps `current`, `null` clears it.
fn file_field(
    pointer: &str,
    field: Option<Option<String>>,
    current: Option<&String>,
) -> Result<Option<String>, ApiError> {
    match field {
        None => Ok(current.cloned()),
        Some(None) => Ok(None),
        Some(Some(b64)) => decode_file(pointer, &b64).map(Some),
    }
}

/// Runs the checks of HS §3.8 steps 1 (deployment part) to 7.
pub(super) async fn plan(
    state: &AppState,
    principal: &UserPrincipal,
    target: &DeploymentTarget,
    body: PutDeployment,
) -> Result<Planned, ApiError> {
    let org = principal.organization_id;
    // 1. On update, the deployment belongs to the target.
    let existing = match body.deployment_id {
        Some(id) => {
            let deployment = state
                .store
                .find_deployment(id)
                .await?
                .filter(|d| d.deployment_target_id == target.id)
                .ok_or_else(ApiError::not_found)?;
            let revision = state
                .store
                .current_revisions(&[id])
                .await?
                .pop()
                .ok_or_else(ApiError::internal)?;
            Some((deployment, revision))
        }
        None => None,
    };
    let current = existing.as_ref().map(|(_, r)| r);
    // 2. The version is in the organization and not archived, unless current.
    let version_id = body
        .application_version_id
        .or(current.map(|r| r.application_version_id))
        .ok_or_else(|| {
            ApiError::validation("applicationVersionId is required")
                .with_field("/applicationVersionId", "required")
        })?;
    let version = state.store.get_version(org, version_id).await?;
    let is_current = current.is_some_and(|r| r.application_version_id == version.id);
    if version.archived_at.is_some() && !is_current {
        return Err(bad(
            "archived-version",
            "the application version is archived",
        ));
    }
    let app = state
        .store
        .get_application(org, version.application_id)
        .await?;
    // 3. Types match; the application is fixed.
    let platform = target.kind.platform();
    if app.app_type != platform {
        return Err(bad(
            "type-mismatch",
            "the application type differs from the deployment target type",
        ));
    }
    if existing
        .as_ref()
        .is_some_and(|(d, _)| d.application_id != app.id)
    {
        return Err(bad(
            "immutable-field",
            "the application of a deployment cannot change",
        )
        .with_field("/applicationVersionId", "belongs to another application"));
    }
    // 4. No field of the other type; create-only fields unchanged on update.
    let mut err = ApiError::validation("fields not allowed for this deployment");
    let docker = platform == PlatformType::Docker;
    let other = if docker { "docker" } else { "kubernetes" };
    let foreign: [(&str, bool); 3] = if docker {
        [
            ("/releaseName", body.release_name.is_some()),
            ("/valuesYaml", matches!(body.values_yaml, Some(Some(_)))),
            (
                "/ignoreRevisionSkew",
                body.ignore_revision_skew == Some(true),
            ),
        ]
    } else {
        [
            ("/dockerType", body.docker_type.is_some()),
            ("/envFileData", matches!(body.env_file_data, Some(Some(_)))),
            ("", false),
        ]
    };
    for (pointer, present) in foreign {
        if present {
            err.push_field(pointer, format!("not allowed for {other} deployments"));
        }
    }
    if !err.errors.is_empty() {
        return Err(err);
    }
    let docker_type = match (&body.docker_type, docker) {
        (Some(raw), true) => Some(raw.parse::<DockerType>().map_err(|e| {
            ApiError::validation("invalid dockerType").with_field("/dockerType", e.reason)
        })?),
        (None, true) => Some(DockerType::Compose),
        _ => None,
    };
    let release_name = match (&body.release_name, docker) {
        (_, true) => None,
        (Some(raw), false) => Some(
            ReleaseName::parse(raw)
                .map_err(|e| {
                    ApiError::validation("invalid releaseName").with_field("/releaseName", e.reason)
                })?
                .as_str()
                .to_owned(),
        ),
        (None, false) => Some(slugify_release_name(app.name.as_str()).as_str().to_owned()),
    };
    if let Some((stored, _)) = &existing {
        let changed_release = body.release_name.is_some() && release_name != stored.release_name;
        let changed_docker = body.docker_type.is_some() && docker_type != stored.docker_type;
        if changed_release || changed_docker {
            let pointer = if changed_release {
                "/releaseName"
            } else {
                "/dockerType"
            };
            return Err(bad("immutable-field", "create-only fields cannot change")
                .with_field(pointer, "immutable"));
        }
    }
    // 5 and 6 concern new deployments only.
    if existing.is_none() {
        let siblings = state
            .store
            .list_deployments_of_targets(&[target.id])
            .await?;
        if release_name.is_some() && siblings.iter().any(|d| d.release_name == release_name) {
            return Err(release_name_conflict());
        }
        if !siblings.is_empty() {
            let desired = state
                .store
                .get_agent_version(target.agent_version_id)
                .await?;
            if !distr_domain::semver::version_at_least(&desired.name, 1, 6, 0) {
                return Err(bad(
                    "agent-too-old",
                    "a second deployment needs the target's agent version 1.6.0 or newer",
                ));
            }
        }
    }
    // 7. Trial rendering.
    let values_yaml = file_field(
        "/valuesYaml",
        body.values_yaml,
        current.and_then(|r| r.values_yaml.as_ref()),
    )?;
    let env_file_data = file_field(
        "/envFileData",
        body.env_file_data,
        current.and_then(|r| r.env_file_data.as_ref()),
    )?;
    if let Some(env) = &env_file_data {
        check_env_lines(env)?;
    }
    let now = state.clock.now();
    let (create, mut deployment) = match existing {
        Some((deployment, _)) => (false, deployment),
        None => (
            true,
            Deployment {
                // Random (v4), not time-ordered: the compose project name is the first
                // 8 hex digits, which a v7 id shares with every id of the same minute.
                id: DeploymentId::from_uuid(uuid::Uuid::new_v4()),
                deployment_target_id: target.id,
                application_id: app.id,
                created_at: now,
                docker_type,
                release_name,
                logs_enabled: false,
            },
        ),
    };
    let logs_changed = !create
        && body
            .logs_enabled
            .is_some_and(|l| l != deployment.logs_enabled);
    if let Some(logs) = body.logs_enabled {
        deployment.logs_enabled = logs;
    }
    let revision = DeploymentRevision {
        id: RevisionId::from_uuid(uuid::Uuid::now_v7()),
        deployment_id: deployment.id,
        created_at: now,
        application_version_id: version.id,
        values_yaml,
        env_file_data,
        force_restart: body.force_restart.unwrap_or(false),
        ignore_revision_skew: body.ignore_revision_skew.unwrap_or(false),
        created_by_user_account_id: Some(principal.user_id),
        trigger: RevisionTrigger::User,
    };
    let secrets = owner_secrets(state, target).await?;
    let input = RenderInput {
        deployment: &deployment,
        revision: &revision,
        version: &version,
        secrets: &secrets,
        registry_auth: None,
    };
    check_renderable(&input).map_err(|e| render_error(&e))?;
    Ok(Planned {
        create,
        deployment,
        revision,
        logs_changed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_lines_without_a_key_are_refused() {
        assert!(check_env_lines("# comment\n\nA=1\nB=\n").is_ok());
        let err = check_env_lines("A=1\njust text\n").unwrap_err();
        assert_eq!(
            err.errors.first().map(|e| e.pointer.as_str()),
            Some("/envFileData")
        );
        assert!(check_env_lines("=value").is_err());
    }
}
