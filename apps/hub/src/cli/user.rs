//! `user reset-link` (HS §5.2): prints a password-reset URL, the recovery
//! path when no admin can log in. The URL is a credential: it goes to stdout
//! only, never to the log.

use distr_domain::ids::{OrganizationId, UserAccountId};
use distr_domain::names::Email;
use distr_ports::{Clock, Store};
use serde::Serialize;

use super::args::ResetLinkArgs;
use super::{CliError, open_migrated};
use crate::auth::{LinkPurpose, default_membership, issue_link_token, link_url};
use crate::clock::SystemClock;
use crate::config::{HubConfig, LoadedConfig};

/// What `user reset-link` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResetLink {
    /// The account.
    pub user_account_id: UserAccountId,
    /// The organization the link logs into.
    pub organization_id: OrganizationId,
    /// `<DISTR_HOST>/reset?token=…`.
    pub reset_url: String,
}

/// Builds a reset link for the account with `email`, logging into
/// `organization` (which must be one of its memberships) or, by default, its
/// last used organization, otherwise its oldest membership.
///
/// # Errors
/// `Usage` for a malformed e-mail or organization id; `Runtime` for an
/// unknown e-mail, a user without that (or any) membership, or store failures.
pub async fn reset_link(
    store: &dyn Store,
    clock: &dyn Clock,
    config: &HubConfig,
    email: &str,
    organization: Option<&str>,
) -> Result<ResetLink, CliError> {
    let email = Email::parse(email).map_err(|e| CliError::Usage(format!("--email: {e}")))?;
    let organization: Option<OrganizationId> = organization
        .map(|raw| {
            raw.parse()
                .map_err(|_| CliError::Usage("--organization: not an id".to_owned()))
        })
        .transpose()?;
    let user = store
        .find_user_by_email(&email)
        .await
        .map_err(CliError::runtime)?
        .ok_or_else(|| CliError::Runtime(format!("no user with e-mail {email}")))?;
    let memberships = store
        .list_memberships_of_user(user.id)
        .await
        .map_err(CliError::runtime)?;
    let membership = match organization {
        Some(org) => memberships.iter().find(|m| m.organization_id == org),
        None => default_membership(&user, &memberships),
    }
    .ok_or_else(|| CliError::Runtime("the user is not a member of that organization".into()))?;
    let token = issue_link_token(
        config,
        clock.now(),
        LinkPurpose::Reset,
        &user,
        Some(membership.organization_id),
    )
    .map_err(|_| CliError::Runtime("cannot sign the reset link".to_owned()))?;
    Ok(ResetLink {
        user_account_id: user.id,
        organization_id: membership.organization_id,
        reset_url: link_url(config, LinkPurpose::Reset, &token),
    })
}

/// `user reset-link`.
pub(super) async fn reset_link_command(
    loaded: LoadedConfig,
    args: ResetLinkArgs,
) -> Result<(), CliError> {
    let store = open_migrated(&loaded.hub).await?;
    let mut config = loaded.hub;
    config.jwt_secret = crate::config::secrets::resolve_jwt_secret(&loaded.secrets, &store)
        .await
        .map_err(CliError::runtime)?;
    let link = reset_link(
        &store,
        &SystemClock::new(),
        &config,
        &args.email,
        args.organization.as_deref(),
    )
    .await?;
    println!(
        "{}",
        serde_json::to_string(&link).map_err(CliError::runtime)?
    );
    Ok(())
}
