//! Deleting a target from its detail page (HS §4.4): blocked while it has
//! deployments (the API's 409 `not-empty`, explained inline), or a force
//! delete, which needs the target's name typed, through the API's
//! `delete_target` with `force` (`DELETE /deployment-targets/{id}?force=true`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::csrf::CsrfForm;
use super::page::{FormError, PortalError, see_other};
use super::target::{Extra, render};
use crate::state::AppState;
use crate::user_api::parse_id;
use crate::user_api::target_changes::delete_target;
use crate::user_api::targets::view_one;

#[derive(Deserialize)]
pub(super) struct DeleteForm {
    /// "on" for a force delete.
    #[serde(default)]
    force: String,
    /// The typed target name a force delete needs.
    #[serde(default)]
    confirm: String,
}

fn refused(detail: String, confirm: String) -> Extra {
    Extra {
        delete_error: FormError {
            detail,
            errors: Vec::new(),
        },
        confirm,
        ..Extra::default()
    }
}

pub(super) async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    CsrfForm(session, form): CsrfForm<DeleteForm>,
) -> Result<Response, PortalError> {
    let id = parse_id(&id)?;
    let principal = &session.principal;
    let query = HashMap::new();
    let force = form.force == "on";
    if force {
        let t = view_one(&state, principal, id).await?;
        principal.require_write()?;
        if form.confirm.trim() != t.name {
            let extra = refused(
                format!(
                    "Type the target's name, {}, to confirm the force delete.",
                    t.name
                ),
                form.confirm,
            );
            return render(&state, &session, id, &query, StatusCode::BAD_REQUEST, extra).await;
        }
    }
    match delete_target(&state, principal, id, force).await {
        Ok(()) => Ok(see_other("/deployments?notice=target-deleted")),
        Err(err) if err.status == StatusCode::CONFLICT => {
            let extra = refused(
                "This target cannot be deleted while it has deployments. Undeploy them \
                 first, or force delete it."
                    .to_owned(),
                String::new(),
            );
            render(&state, &session, id, &query, StatusCode::CONFLICT, extra).await
        }
        Err(err) => Err(err.into()),
    }
}
