//! The wizard's secret helper (HS §4.5 step 4): the keys the chosen target
//! resolves, each as the placeholder the Hub substitutes, with a copy
//! button; never a value. A target resolves exactly its owner's scope:
//! vendor-level secrets for an Internal target, that customer's for a
//! customer's target (HS §2.3, no fallback); the list comes from
//! `user_api::secrets::list_secrets`, which enforces the caller's scope.

use axum::http::StatusCode;
use distr_domain::ids::CustomerOrganizationId;

use crate::auth::UserPrincipal;
use crate::problem::ApiError;
use crate::state::AppState;
use crate::user_api::secrets::list_secrets;

/// One key of the helper.
#[derive(Debug)]
pub(super) struct SecretKey {
    /// `{{ .Secrets.KEY }}`.
    pub placeholder: String,
    /// The id of the element holding the placeholder (for the copy button).
    pub element_id: String,
}

/// The helper: whose secrets and their keys.
#[derive(Debug, Default)]
pub(super) struct SecretHelper {
    /// "vendor-level secrets (Internal targets)" or "the secrets of X".
    pub scope: String,
    /// The keys, in the store's order.
    pub keys: Vec<SecretKey>,
}

/// The placeholder of `key` (AP §5.4 grammar).
pub(super) fn placeholder(key: &str) -> String {
    format!("{{{{ .Secrets.{key} }}}}")
}

/// The keys a target owned by `owner` (`None`: vendor-owned) resolves;
/// `owner_name` names the customer. An owner outside the caller's scope
/// shows no key.
///
/// # Errors
/// Store failures.
pub(super) async fn helper(
    state: &AppState,
    principal: &UserPrincipal,
    owner: Option<CustomerOrganizationId>,
    owner_name: &str,
) -> Result<SecretHelper, ApiError> {
    let scope = match owner {
        None => "vendor-level secrets (Internal targets)".to_owned(),
        Some(_) if owner_name.is_empty() => "your organization's secrets".to_owned(),
        Some(_) => format!("the secrets of {owner_name}"),
    };
    let customer = owner.map(|c| c.to_string());
    let secrets = match list_secrets(state, principal, customer.as_deref()).await {
        Ok(secrets) => secrets,
        Err(err) if err.status == StatusCode::NOT_FOUND => Vec::new(),
        Err(err) => return Err(err),
    };
    let keys = secrets
        .iter()
        // Customers always get their own scope; a vendor-owned target of a
        // customer caller cannot occur, but never list a foreign scope.
        .filter(|s| s.customer_organization_id == owner)
        .map(|s| SecretKey {
            placeholder: placeholder(&s.key),
            element_id: format!("secret-key-{}", s.key),
        })
        .collect();
    Ok(SecretHelper { scope, keys })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_is_the_go_template_field() {
        assert_eq!(placeholder("DB_PASS"), "{{ .Secrets.DB_PASS }}");
    }
}
