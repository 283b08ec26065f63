//! `admin create` and `agent-version add`.

use std::io::BufRead as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use distr_domain::ids::{AccessTokenId, OrganizationId, UserAccountId};
use distr_domain::names::{Email, Name};
use distr_domain::organization::Organization;
use distr_domain::user::{AccessToken, Membership, UserAccount, UserRole};
use distr_ports::{Clock, PasswordHasher, Store};
use serde::Serialize;

use super::args::{AdminCreateArgs, AgentVersionAddArgs};
use super::{CliError, open_migrated};
use crate::auth::{hash_token, new_token_text};
use crate::clock::SystemClock;
use crate::config::HubConfig;

/// What `admin create` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminCreated {
    /// The organization.
    pub organization_id: OrganizationId,
    /// The admin user.
    pub user_account_id: UserAccountId,
    /// The generated password, only with `--generate-password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// The PAT, only with `--token-label`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_token: Option<String>,
}

/// Validated input of `admin create`.
#[derive(Debug, Clone)]
pub struct AdminInput {
    /// Organization name.
    pub org_name: Name,
    /// Admin e-mail.
    pub email: Email,
    /// Admin name.
    pub name: Name,
    /// The password.
    pub password: String,
    /// Whether the password was generated (and is printed).
    pub generated: bool,
    /// `--if-not-exists`.
    pub if_not_exists: bool,
    /// `--token-label`.
    pub token_label: Option<String>,
}

fn usage(err: impl std::fmt::Display) -> CliError {
    CliError::Usage(err.to_string())
}

/// Strips one trailing `\n` or `\r\n`.
fn strip_newline(mut text: String) -> String {
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    text
}

fn read_password(args: &AdminCreateArgs) -> Result<(String, bool), CliError> {
    if args.generate_password {
        return Ok((
            URL_SAFE_NO_PAD.encode(distr_crypto::random_bytes::<18>()),
            true,
        ));
    }
    let text = if let Some(path) = &args.password_file {
        std::fs::read_to_string(path)
            .map_err(|e| usage(format!("--password-file: cannot read: {}", e.kind())))?
    } else {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| usage(format!("--password-stdin: {e}")))?;
        line
    };
    let password = strip_newline(text);
    if password.is_empty() {
        return Err(usage("the password must not be empty"));
    }
    Ok((password, false))
}

fn validate(args: &AdminCreateArgs) -> Result<AdminInput, CliError> {
    let (password, generated) = read_password(args)?;
    Ok(AdminInput {
        org_name: Name::parse("--org-name", &args.org_name).map_err(usage)?,
        email: Email::parse(&args.email).map_err(usage)?,
        name: Name::parse("--name", &args.name).map_err(usage)?,
        password,
        generated,
        if_not_exists: args.if_not_exists,
        token_label: args.token_label.clone(),
    })
}

/// `admin create`.
pub(super) async fn create(config: &HubConfig, args: AdminCreateArgs) -> Result<(), CliError> {
    let input = validate(&args)?;
    let store = open_migrated(config).await?;
    let hasher = distr_crypto::Argon2PasswordHasher::new();
    let out = create_admin(&store, &SystemClock::new(), &hasher, input).await?;
    println!(
        "{}",
        serde_json::to_string(&out).map_err(CliError::runtime)?
    );
    Ok(())
}

/// Creates an organization and its vendor admin (or, with `if_not_exists`
/// and a known e-mail, ensures the user is a vendor admin somewhere).
///
/// # Errors
/// `Runtime` when the e-mail exists without `if_not_exists`, or on store failures.
pub async fn create_admin(
    store: &dyn Store,
    clock: &dyn Clock,
    hasher: &dyn PasswordHasher,
    input: AdminInput,
) -> Result<AdminCreated, CliError> {
    let now = clock.now();
    let existing = store
        .find_user_by_email(&input.email)
        .await
        .map_err(CliError::runtime)?;
    let (user_id, org_id, password) = match existing {
        Some(_) if !input.if_not_exists => {
            return Err(CliError::Runtime(format!(
                "a user with e-mail {} already exists (use --if-not-exists to accept that)",
                input.email
            )));
        }
        Some(user) => {
            let memberships = store
                .list_memberships_of_user(user.id)
                .await
                .map_err(CliError::runtime)?;
            let admin = memberships
                .iter()
                .find(|m| m.user_role == UserRole::Admin && m.customer_organization_id.is_none());
            let org = match admin {
                Some(m) => m.organization_id,
                None => create_org_with_admin(store, now, &input.org_name, user.id).await?,
            };
            (user.id, org, None)
        }
        None => {
            let hash = hasher
                .hash_password(&input.password)
                .await
                .map_err(CliError::runtime)?;
            let user = UserAccount {
                id: UserAccountId::from_uuid(uuid::Uuid::now_v7()),
                created_at: now,
                email: input.email.clone(),
                name: input.name.clone(),
                password_hash: Some(hash),
                password_changed_at: Some(now),
                last_logged_in_at: None,
                last_used_organization_id: None,
            };
            store.create_user(&user).await.map_err(CliError::runtime)?;
            let org = create_org_with_admin(store, now, &input.org_name, user.id).await?;
            (
                user.id,
                org,
                input.generated.then_some(input.password.clone()),
            )
        }
    };
    let access_token = match &input.token_label {
        Some(label) => Some(create_token(store, now, user_id, org_id, label).await?),
        None => None,
    };
    Ok(AdminCreated {
        organization_id: org_id,
        user_account_id: user_id,
        password,
        access_token,
    })
}

async fn create_org_with_admin(
    store: &dyn Store,
    now: chrono::DateTime<chrono::Utc>,
    name: &Name,
    user: UserAccountId,
) -> Result<OrganizationId, CliError> {
    let org = Organization {
        id: OrganizationId::from_uuid(uuid::Uuid::now_v7()),
        created_at: now,
        name: name.clone(),
        slug: None,
        pre_connect_script: None,
        post_connect_script: None,
        connect_script_is_sudo: false,
        pre_post_scripts_enabled: false,
    };
    store
        .create_organization(&org)
        .await
        .map_err(CliError::runtime)?;
    let membership = Membership {
        organization_id: org.id,
        user_account_id: user,
        user_role: UserRole::Admin,
        customer_organization_id: None,
        created_at: now,
    };
    store
        .create_membership(&membership)
        .await
        .map_err(CliError::runtime)?;
    Ok(org.id)
}

async fn create_token(
    store: &dyn Store,
    now: chrono::DateTime<chrono::Utc>,
    user: UserAccountId,
    org: OrganizationId,
    label: &str,
) -> Result<String, CliError> {
    let text = new_token_text();
    let token = AccessToken {
        id: AccessTokenId::from_uuid(uuid::Uuid::now_v7()),
        created_at: now,
        user_account_id: user,
        organization_id: org,
        label: label.to_owned(),
        expires_at: None,
        last_used_at: None,
        key_hash: hash_token(&text),
        key_hint: text
            .chars()
            .rev()
            .take(4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect(),
    };
    store
        .create_access_token(&token)
        .await
        .map_err(CliError::runtime)?;
    Ok(text)
}

/// `agent-version add`.
pub(super) async fn add_agent_version(
    config: &HubConfig,
    args: AgentVersionAddArgs,
) -> Result<(), CliError> {
    let name = crate::config::validate_agent_version(&args.name)
        .map_err(|reason| usage(format!("--name: {reason}")))?;
    let store = open_migrated(config).await?;
    let version = crate::server::register_agent_version(
        &store,
        &SystemClock::new(),
        &name,
        args.docker_image_repository,
        args.kubernetes_image_repository,
    )
    .await
    .map_err(CliError::runtime)?;
    let out = serde_json::json!({
        "id": version.id,
        "name": version.name,
        "createdAt": version.created_at,
        "dockerImageRepository": version.docker_image_repository,
        "kubernetesImageRepository": version.kubernetes_image_repository,
    });
    println!("{out}");
    Ok(())
}

#[cfg(test)]
mod tests;
