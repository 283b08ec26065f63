//! The owner of the deploy wizard's new target (HS §4.5, §2.3). A vendor
//! chooses it in step 1 ("Internal" or one of the organization's customers)
//! and step 2 shows it read-only, so the secret helper lists the chosen
//! owner's keys on first render; a customer user's new target is always
//! their own and they get no choice. The rule itself is
//! `user_api::targets::new_target_owner`, shared with the API.

use distr_domain::ids::CustomerOrganizationId;

use super::wizard::Choice;
use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::parse_id;
use crate::user_api::targets::new_target_owner;

/// The pointer of the owner's field errors (the API's).
pub(super) const OWNER_POINTER: &str = "/customerOrganization/id";

/// The requested owner: blank is Internal; anything else must be an id.
///
/// # Errors
/// The reason shown inline when `text` is not an id.
pub(super) fn requested(text: &str) -> Result<Option<CustomerOrganizationId>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_id(text)
        .map(Some)
        .map_err(|_| "no such customer organization")
}

/// The owner part of the wizard.
#[derive(Debug, Default)]
pub(super) struct OwnerStep {
    /// Step 1's select: Internal and the customers (vendors only, else empty).
    pub choices: Vec<Choice>,
    /// The owner the new target gets (`None`: Internal).
    pub owner: Option<CustomerOrganizationId>,
    /// The owner's name for step 2 and the helper ("Internal", the
    /// customer's name; empty for a customer caller's own organization).
    pub name: String,
    /// Why the requested owner was refused.
    pub error: Option<&'static str>,
}

impl OwnerStep {
    /// The value of the owner field once resolved (blank: Internal).
    pub(super) fn value(&self) -> String {
        self.owner.map(|id| id.to_string()).unwrap_or_default()
    }
}

/// Resolves `text` (the `new_owner` parameter) for `principal` and builds
/// step 1's select.
///
/// # Errors
/// Store failures.
pub(super) async fn owner_step(
    state: &AppState,
    principal: &UserPrincipal,
    text: &str,
) -> Result<OwnerStep, ApiError> {
    let resolved = match requested(text) {
        Ok(owner) => new_target_owner(state, principal, owner).await?,
        Err(reason) => Err(reason),
    };
    let (owner, error) = match resolved {
        Ok(owner) => (owner, None),
        Err(reason) => (None, Some(reason)),
    };
    let mut step = OwnerStep {
        owner,
        error,
        ..OwnerStep::default()
    };
    if !principal.is_vendor() {
        return Ok(step);
    }
    step.name = "Internal".to_owned();
    step.choices.push(Choice {
        id: String::new(),
        label: "Internal".to_owned(),
        selected: owner.is_none(),
    });
    for c in state
        .store
        .list_customers(principal.organization_id)
        .await?
    {
        let selected = owner == Some(c.id);
        if selected {
            c.name.as_str().clone_into(&mut step.name);
        }
        step.choices.push(Choice {
            id: c.id.to_string(),
            label: c.name.as_str().to_owned(),
            selected,
        });
    }
    Ok(step)
}
