//! A Hub on a real socket, seeded through the store, and an agent-like
//! HTTP client (what a Distr 2.7 agent sends).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use distr_domain::application::{
    Application, ApplicationVersion, ChartType, PlatformType, VersionContent,
};
use distr_domain::deployment::{Deployment, DeploymentRevision, DockerType, RevisionTrigger};
use distr_domain::ids::*;
use distr_domain::names::{Email, Name};
use distr_domain::organization::{CustomerOrganization, Organization};
use distr_domain::secret::{Secret, SecretKey};
use distr_domain::target::{AgentVersion, DeploymentTarget, KubernetesScope, TargetKind};
use distr_domain::user::{Membership, UserAccount, UserRole};
use distr_hub::config::HubConfig;
use distr_hub::rate_limit::RateLimits;
use distr_hub::state::AppState;
use distr_ports::Store;
use reqwest::header::{AUTHORIZATION, HeaderMap, USER_AGENT};
use serde_json::Value;
use tokio::sync::watch;

use distr_hub::changes::LocalChangeFeed;
use distr_hub::clock::SystemClock;

/// The agent version every new target gets.
pub const HUB_AGENT_VERSION: &str = "2.7.1";
/// The docker agent image repository of the test Hub.
pub const DOCKER_REPO: &str = "registry.example/distr/docker-agent";
/// The kubernetes agent image repository of the test Hub.
pub const KUBERNETES_REPO: &str = "registry.example/distr/kubernetes-agent";

/// A store plus whatever keeps its backing resources alive.
pub struct Backend {
    /// The store.
    pub store: Arc<dyn Store>,
    /// Dropped with the Hub (temp dirs, databases).
    pub guard: Box<dyn std::any::Any + Send + Sync>,
}

/// A running Hub and its seed data.
pub struct TestHub {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The state handlers see.
    pub state: AppState,
    /// A plain HTTP client.
    pub http: reqwest::Client,
    /// The vendor organization.
    pub org: Organization,
    /// Its admin.
    pub admin: UserAccount,
    /// The admin's membership.
    pub admin_membership: Membership,
    /// The Hub's agent version.
    pub version: AgentVersion,
    shutdown: watch::Sender<bool>,
    _guard: Box<dyn std::any::Any + Send + Sync>,
}

fn name(raw: &str) -> Name {
    Name::parse("name", raw).unwrap()
}

fn now() -> chrono::DateTime<Utc> {
    Utc::now()
}

fn new_id<T: From<uuid::Uuid>>() -> T {
    T::from(uuid::Uuid::now_v7())
}

impl TestHub {
    /// Binds 127.0.0.1:0, builds the state around `backend` and serves.
    pub async fn start(backend: Backend) -> Self {
        Self::start_with(backend, |_| {}).await
    }

    /// As [`TestHub::start`], letting the test adjust the configuration.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut HubConfig)) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let base = format!("http://{addr}");
        let mut config = HubConfig::with_defaults(distr_crypto::random_bytes::<32>().to_vec());
        config.listen_addr = addr;
        config.distr_host = base.clone();
        config.database_url = "memory".to_owned();
        config.agent_docker_image_repository = DOCKER_REPO.to_owned();
        config.agent_kubernetes_image_repository = KUBERNETES_REPO.to_owned();
        config.hub_agent_version = HUB_AGENT_VERSION.to_owned();
        config.shutdown_grace_period = Duration::from_secs(1);
        adjust(&mut config);
        let (shutdown, shutdown_rx) = watch::channel(false);
        let state = AppState {
            rate_limits: Arc::new(RateLimits::new(config.rate_limit_enabled)),
            config: Arc::new(config),
            store: Arc::clone(&backend.store),
            clock: Arc::new(SystemClock::new()),
            cipher: Arc::new(distr_crypto::Aes256GcmCipher::new(
                distr_crypto::random_bytes::<32>(),
            )),
            passwords: Arc::new(distr_crypto::Argon2PasswordHasher::new()),
            target_secrets: Arc::new(distr_crypto::Argon2TargetSecrets::new()),
            changes: Arc::new(LocalChangeFeed::new()),
            metrics: Arc::new(distr_hub::metrics::Metrics::new()),
            shutdown: shutdown_rx,
        };
        let app = distr_hub::router::build_router(state.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let store = &state.store;
        let version = store
            .upsert_agent_version(&AgentVersion {
                id: new_id(),
                created_at: now(),
                name: HUB_AGENT_VERSION.to_owned(),
                docker_image_repository: None,
                kubernetes_image_repository: None,
            })
            .await
            .unwrap();
        let org = Organization {
            id: new_id(),
            created_at: now(),
            name: name("Vendor"),
            slug: Some(format!(
                "vendor-{}",
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            )),
            pre_connect_script: None,
            post_connect_script: None,
            connect_script_is_sudo: false,
            pre_post_scripts_enabled: false,
        };
        store.create_organization(&org).await.unwrap();
        let (admin, admin_membership) =
            seed_user(store.as_ref(), org.id, UserRole::Admin, None).await;
        Self {
            base,
            state,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(90))
                .build()
                .unwrap(),
            org,
            admin,
            admin_membership,
            version,
            shutdown,
            _guard: backend.guard,
        }
    }

    /// Serves the same store and keys on a second listener, as a second
    /// replica would; returns its base URL.
    pub async fn replica(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut state = self.state.clone();
        state.rate_limits = Arc::new(RateLimits::new(true));
        let app = distr_hub::router::build_router(state);
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        base
    }

    /// The store.
    pub fn store(&self) -> &dyn Store {
        self.state.store.as_ref()
    }

    /// `<base>/api/v1<path>`.
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.base)
    }

    /// Starts the shutdown sequence (held long-polls answer 304).
    pub fn begin_shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    /// A user JWT for a membership.
    pub fn user_token(&self, user: &UserAccount, membership: &Membership) -> String {
        distr_hub::auth::issue_user_token(&self.state.config, now(), user, membership).unwrap()
    }

    /// The admin's JWT.
    pub fn admin_token(&self) -> String {
        self.user_token(&self.admin, &self.admin_membership)
    }

    /// Adds a member of the vendor organization.
    pub async fn add_member(
        &self,
        role: UserRole,
        customer: Option<CustomerOrganizationId>,
    ) -> String {
        let (user, membership) = seed_user(self.store(), self.org.id, role, customer).await;
        self.user_token(&user, &membership)
    }

    /// Adds a customer organization.
    pub async fn add_customer(&self, customer_name: &str) -> CustomerOrganization {
        let customer = CustomerOrganization {
            id: new_id(),
            organization_id: self.org.id,
            created_at: now(),
            name: name(customer_name),
        };
        self.store().create_customer(&customer).await.unwrap();
        customer
    }

    /// Creates a docker target (no secret yet).
    pub async fn docker_target(&self, owner: Option<CustomerOrganizationId>) -> DeploymentTarget {
        self.target(TargetKind::Docker, owner).await
    }

    /// Creates a kubernetes target in namespace `apps`.
    pub async fn kubernetes_target(&self, scope: KubernetesScope) -> DeploymentTarget {
        self.target(
            TargetKind::Kubernetes {
                namespace: "apps".to_owned(),
                scope,
            },
            None,
        )
        .await
    }

    async fn target(
        &self,
        kind: TargetKind,
        owner: Option<CustomerOrganizationId>,
    ) -> DeploymentTarget {
        let target = DeploymentTarget {
            id: new_id(),
            organization_id: self.org.id,
            customer_organization_id: owner,
            created_at: now(),
            name: name(&format!("target-{}", uuid::Uuid::new_v4().simple())),
            metrics_enabled: !matches!(
                kind,
                TargetKind::Kubernetes {
                    scope: KubernetesScope::Namespace,
                    ..
                }
            ),
            kind,
            resources: None,
            agent_version_id: self.version.id,
            reported_agent_version_id: None,
            secret: None,
            heartbeat: None,
        };
        self.store().create_target(&target).await.unwrap();
        target
    }

    /// `POST /deployment-targets/{id}/access-request` as the admin.
    pub async fn access_request(&self, target: TargetId) -> Value {
        let response = self
            .http
            .post(self.url(&format!("/deployment-targets/{target}/access-request")))
            .bearer_auth(self.admin_token())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "access request failed");
        response.json().await.unwrap()
    }

    /// A docker target with a secret, and an agent holding it.
    pub async fn connected_docker_agent(
        &self,
        owner: Option<CustomerOrganizationId>,
    ) -> (DeploymentTarget, Agent) {
        let target = self.docker_target(owner).await;
        let access = self.access_request(target.id).await;
        let agent = Agent::new(self, target.id, access["targetSecret"].as_str().unwrap());
        (target, agent)
    }

    /// Creates an application of `kind` with one version.
    pub async fn application(&self, content: VersionContent) -> ApplicationVersion {
        let app = Application {
            id: new_id(),
            organization_id: self.org.id,
            created_at: now(),
            name: name(&format!("app-{}", uuid::Uuid::new_v4().simple())),
            app_type: content.platform(),
        };
        self.store().create_application(&app).await.unwrap();
        self.app_version(app.id, content).await
    }

    /// Adds a version to an application.
    pub async fn app_version(
        &self,
        app: ApplicationId,
        content: VersionContent,
    ) -> ApplicationVersion {
        let version = ApplicationVersion {
            id: new_id(),
            application_id: app,
            created_at: now(),
            name: name(&format!("v-{}", uuid::Uuid::new_v4().simple())),
            archived_at: None,
            content,
        };
        self.store().create_version(&version).await.unwrap();
        version
    }

    /// A docker application version with `compose`.
    pub async fn compose_app(&self, compose: &str) -> ApplicationVersion {
        self.application(VersionContent::Docker {
            compose_file: compose.to_owned(),
            template_file: None,
        })
        .await
    }

    /// A kubernetes application version (OCI chart) with base `values`.
    pub async fn helm_app(&self, values: &str) -> ApplicationVersion {
        self.application(VersionContent::Kubernetes {
            chart_type: ChartType::Oci,
            chart_url: "oci://registry.example/charts/web".to_owned(),
            chart_name: None,
            chart_version: "1.2.3".to_owned(),
            values_file: Some(values.to_owned()),
            template_file: None,
        })
        .await
    }

    /// Deploys `version` onto `target` and announces the change.
    pub async fn deploy(
        &self,
        target: &DeploymentTarget,
        version: &ApplicationVersion,
        env_or_values: Option<&str>,
    ) -> (Deployment, DeploymentRevision) {
        let docker = version.content.platform() == PlatformType::Docker;
        let deployment = Deployment {
            id: new_id(),
            deployment_target_id: target.id,
            application_id: version.application_id,
            created_at: now(),
            docker_type: docker.then_some(DockerType::Compose),
            release_name: (!docker)
                .then(|| format!("rel-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])),
            logs_enabled: true,
        };
        let revision = self.revision_of(&deployment, version, env_or_values);
        self.store()
            .create_deployment(&deployment, &revision)
            .await
            .unwrap();
        self.state.changes.publish(target.id).await;
        (deployment, revision)
    }

    /// Adds a revision to `deployment` and announces the change.
    pub async fn redeploy(
        &self,
        deployment: &Deployment,
        version: &ApplicationVersion,
        env_or_values: Option<&str>,
    ) -> DeploymentRevision {
        let revision = self.revision_of(deployment, version, env_or_values);
        self.store().add_revision(&revision).await.unwrap();
        self.state
            .changes
            .publish(deployment.deployment_target_id)
            .await;
        revision
    }

    fn revision_of(
        &self,
        deployment: &Deployment,
        version: &ApplicationVersion,
        text: Option<&str>,
    ) -> DeploymentRevision {
        let docker = version.content.platform() == PlatformType::Docker;
        DeploymentRevision {
            id: new_id(),
            deployment_id: deployment.id,
            created_at: now(),
            application_version_id: version.id,
            values_yaml: if docker {
                None
            } else {
                text.map(str::to_owned)
            },
            env_file_data: if docker {
                text.map(str::to_owned)
            } else {
                None
            },
            force_restart: false,
            ignore_revision_skew: false,
            created_by_user_account_id: Some(self.admin.id),
            trigger: RevisionTrigger::User,
        }
    }

    /// Stores a secret of the given scope, encrypted as the Hub expects.
    pub async fn secret(&self, customer: Option<CustomerOrganizationId>, key: &str, value: &str) {
        let id: SecretId = new_id();
        let aad = distr_hub::agent_api::render::secret_aad(self.org.id, id);
        let secret = Secret {
            id,
            organization_id: self.org.id,
            customer_organization_id: customer,
            key: SecretKey::parse(key).unwrap(),
            value_ciphertext: self.state.cipher.encrypt(value.as_bytes(), &aad),
            created_at: now(),
            updated_at: now(),
            updated_by_user_account_id: Some(self.admin.id),
        };
        self.store().create_secret(&secret).await.unwrap();
    }
}

impl Drop for TestHub {
    fn drop(&mut self) {
        self.shutdown.send_replace(true);
    }
}

async fn seed_user(
    store: &dyn Store,
    org: OrganizationId,
    role: UserRole,
    customer: Option<CustomerOrganizationId>,
) -> (UserAccount, Membership) {
    let user = UserAccount {
        id: new_id(),
        created_at: now() - chrono::Duration::minutes(1),
        email: Email::parse(&format!("u{}@example.com", uuid::Uuid::new_v4().simple())).unwrap(),
        name: name("User"),
        password_hash: Some("$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHQ$aGFzaA".to_owned()),
        password_changed_at: None,
        last_logged_in_at: None,
        last_used_organization_id: Some(org),
    };
    store.create_user(&user).await.unwrap();
    let membership = Membership {
        organization_id: org,
        user_account_id: user.id,
        user_role: role,
        customer_organization_id: customer,
        created_at: now(),
    };
    store.create_membership(&membership).await.unwrap();
    (user, membership)
}

/// What a Distr 2.7 agent does over HTTP.
pub struct Agent {
    base: String,
    http: reqwest::Client,
    /// The target id.
    pub target_id: TargetId,
    /// The target secret.
    pub secret: String,
    /// The current JWT.
    pub token: Option<String>,
    /// `User-Agent` sent on every request.
    pub user_agent: String,
}

impl Agent {
    /// An agent with credentials, not logged in yet.
    pub fn new(hub: &TestHub, target_id: TargetId, secret: &str) -> Self {
        Self {
            base: hub.url(""),
            http: hub.http.clone(),
            target_id,
            secret: secret.to_owned(),
            token: None,
            user_agent: format!("DistrAgentClient/{HUB_AGENT_VERSION}"),
        }
    }

    /// `POST /agent/login` with Basic credentials.
    pub async fn login_raw(&self) -> reqwest::Response {
        let basic = STANDARD.encode(format!("{}:{}", self.target_id, self.secret));
        self.http
            .post(format!("{}/agent/login", self.base))
            .header(AUTHORIZATION, format!("Basic {basic}"))
            .header(USER_AGENT, &self.user_agent)
            .send()
            .await
            .unwrap()
    }

    /// Logs in and keeps the token.
    pub async fn login(&mut self) -> String {
        let response = self.login_raw().await;
        assert_eq!(response.status(), 200, "login failed");
        let body: Value = response.json().await.unwrap();
        let token = body["token"].as_str().unwrap().to_owned();
        self.token = Some(token.clone());
        token
    }

    async fn token(&mut self) -> String {
        match &self.token {
            Some(token) => token.clone(),
            None => self.login().await,
        }
    }

    /// An authenticated request builder for `method path`.
    pub async fn request(
        &mut self,
        method: reqwest::Method,
        path: &str,
    ) -> reqwest::RequestBuilder {
        let token = self.token().await;
        self.http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .header(USER_AGENT, &self.user_agent)
    }

    /// `GET /agent/resources` with optional `If-None-Match` and `wait`.
    pub async fn resources(&mut self, etag: Option<&str>, wait: Option<u64>) -> reqwest::Response {
        let path = match wait {
            Some(wait) => format!("/agent/resources?wait={wait}"),
            None => "/agent/resources".to_owned(),
        };
        let mut request = self.request(reqwest::Method::GET, &path).await;
        let mut headers = HeaderMap::new();
        if let Some(etag) = etag {
            headers.insert(reqwest::header::IF_NONE_MATCH, etag.parse().unwrap());
        }
        request = request.headers(headers);
        request.send().await.unwrap()
    }

    /// `GET /agent/resources` expecting 200; returns (JSON, ETag).
    pub async fn desired(&mut self) -> (Value, String) {
        let response = self.resources(None, None).await;
        assert_eq!(response.status(), 200);
        let etag = response.headers()["etag"].to_str().unwrap().to_owned();
        (response.json().await.unwrap(), etag)
    }

    /// Sends JSON with `method` to `path`.
    pub async fn send_json(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.request(method, path)
            .await
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

/// Decodes a `bytes` field.
pub fn b64(value: &Value) -> String {
    String::from_utf8(STANDARD.decode(value.as_str().unwrap()).unwrap()).unwrap()
}
