//! The test harness: a router on a fresh store, seeded organizations and
//! users of every role, and a request helper.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use distr_domain::ids::{CustomerOrganizationId, OrganizationId, UserAccountId};
use distr_domain::names::{Email, Name};
use distr_domain::organization::{CustomerOrganization, Organization};
use distr_domain::user::{Membership, UserAccount, UserRole};
use distr_hub::changes::LocalChangeFeed;
use distr_hub::clock::SystemClock;
use distr_hub::config::HubConfig;
use distr_hub::rate_limit::RateLimits;
use distr_hub::router::build_router;
use distr_hub::state::AppState;
use distr_ports::{Clock, PasswordHasher, Store};
use serde_json::Value;
use tower::ServiceExt as _;

/// The store behind a test app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// `distr_testkit::MemoryStore`.
    Memory,
    /// SQLite in memory via `distr_sql_store`.
    Sqlite,
    /// A fresh database on the test process's throwaway PostgreSQL cluster
    /// (`distr_testkit::postgres::PgCluster`, or `PG_TEST_URL`).
    Postgres,
}

/// Hashes by prefixing, so tests spend no Argon2 time.
#[derive(Debug)]
pub struct PlainHasher;

#[async_trait::async_trait]
impl PasswordHasher for PlainHasher {
    async fn hash_password(&self, password: &str) -> Result<String, distr_ports::HashError> {
        Ok(format!("plain:{password}"))
    }
    async fn verify_password(&self, password: &str, phc: &str) -> bool {
        phc == format!("plain:{password}")
    }
    async fn verify_dummy(&self, _password: &str) {}
}

/// The system clock plus an offset a test can move forward, so time still
/// passes for the code under test while "61 s later" takes no waiting.
#[derive(Debug, Default)]
pub struct TestClock {
    system: SystemClock,
    offset_micros: AtomicI64,
}

impl TestClock {
    /// Moves every later reading forward by `by`.
    pub fn advance(&self, by: Duration) {
        let micros = i64::try_from(by.as_micros()).expect("advance fits i64 microseconds");
        self.offset_micros.fetch_add(micros, Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.system.now()
            + chrono::TimeDelta::microseconds(self.offset_micros.load(Ordering::SeqCst))
    }
}

/// The `User-Agent` the in-process agent sends (the Hub's agent version).
pub const AGENT_USER_AGENT: &str = "DistrAgentClient/2.8.0";

/// One response.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Reply {
    /// The problem slug (`type` without `/problems/`).
    pub fn slug(&self) -> &str {
        self.body["type"]
            .as_str()
            .unwrap_or_default()
            .trim_start_matches("/problems/")
    }
}

/// A seeded user with a token.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: UserAccountId,
    pub token: String,
}

/// Seeded organization: a customer and users of every role.
#[derive(Debug, Clone)]
pub struct Org {
    pub id: OrganizationId,
    pub customer: CustomerOrganizationId,
    pub other_customer: CustomerOrganizationId,
    pub admin: Caller,
    pub writer: Caller,
    pub reader: Caller,
    pub customer_admin: Caller,
    pub customer_writer: Caller,
    pub customer_reader: Caller,
}

/// A router on a fresh store.
pub struct TestApp {
    pub state: AppState,
    pub router: Router,
    /// The clock behind `state.clock`.
    pub clock: Arc<TestClock>,
}

pub const JWT_KEY: &[u8] = b"0123456789abcdef0123456789abcdef-test-key";

impl TestApp {
    /// A fresh app on `backend`.
    pub async fn new(backend: Backend) -> Self {
        Self::with_config(backend, |_| {}).await
    }

    /// As [`TestApp::new`], adjusting the configuration.
    pub async fn with_config(backend: Backend, adjust: impl FnOnce(&mut HubConfig)) -> Self {
        let sql = match backend {
            Backend::Memory => None,
            Backend::Sqlite => {
                let opts = distr_sql_store::OpenOptions { max_connections: 1 };
                let store = distr_sql_store::SqlStore::open("sqlite::memory:", opts)
                    .await
                    .unwrap();
                store.migrate().await.unwrap();
                Some(store)
            }
            Backend::Postgres => {
                let url = distr_testkit::postgres::PgCluster::shared()
                    .expect("start PostgreSQL")
                    .create_database()
                    .await
                    .expect("create database");
                let opts = distr_sql_store::OpenOptions { max_connections: 4 };
                let store = distr_sql_store::SqlStore::open(&url, opts).await.unwrap();
                store.migrate().await.unwrap();
                Some(store)
            }
        };
        let store: Arc<dyn Store> = match &sql {
            Some(store) => Arc::new(store.clone()),
            None => Arc::new(distr_testkit::MemoryStore::new()),
        };
        let app = Self::on_store(store, adjust);
        if let Some(store) = sql {
            app.state.metrics.observe_pool(store);
        }
        app
    }

    /// An app on `store` (already migrated), adjusting the configuration.
    pub fn on_store(store: Arc<dyn Store>, adjust: impl FnOnce(&mut HubConfig)) -> Self {
        let mut config = HubConfig::with_defaults(JWT_KEY.to_vec());
        config.hub_agent_version = "2.8.0".to_owned();
        adjust(&mut config);
        let (_tx, shutdown) = tokio::sync::watch::channel(false);
        let clock = Arc::new(TestClock::default());
        // The sender may go: a closed watch keeps its last value.
        let state = AppState {
            rate_limits: Arc::new(RateLimits::new(config.rate_limit_enabled)),
            config: Arc::new(config),
            store,
            clock: Arc::clone(&clock) as Arc<dyn Clock>,
            cipher: Arc::new(distr_crypto::Aes256GcmCipher::new([7; 32])),
            passwords: Arc::new(PlainHasher),
            target_secrets: Arc::new(distr_crypto::Argon2TargetSecrets::new()),
            changes: Arc::new(LocalChangeFeed::new()),
            metrics: Arc::new(distr_hub::metrics::Metrics::new()),
            shutdown,
        };
        let router = build_router(state.clone());
        Self {
            state,
            router,
            clock,
        }
    }

    /// Sends a request; `body` is JSON when given.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> Reply {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, auth_header(token));
        }
        let request = match body {
            Some(json) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&json).unwrap()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        };
        self.send(request).await
    }

    /// Sends a raw request.
    pub async fn send(&self, request: Request<Body>) -> Reply {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            body,
        }
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.call(Method::GET, path, Some(token), None).await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::POST, path, Some(token), Some(body)).await
    }

    pub async fn put(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call(Method::PUT, path, Some(token), Some(body)).await
    }

    pub async fn delete(&self, path: &str, token: &str) -> Reply {
        self.call(Method::DELETE, path, Some(token), None).await
    }

    /// An agent JWT for `target` (a fresh access request by `token`, then
    /// `POST /agent/login`).
    pub async fn agent_token(&self, token: &str, target: &str) -> String {
        use base64::Engine as _;
        let access = self
            .call(
                Method::POST,
                &format!("/api/v1/deployment-targets/{target}/access-request"),
                Some(token),
                None,
            )
            .await;
        assert_eq!(access.status, StatusCode::OK, "{}", access.body);
        let secret = access.body["targetSecret"].as_str().unwrap();
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("{target}:{secret}"));
        let request = Request::post("/api/v1/agent/login")
            .header(header::AUTHORIZATION, format!("Basic {basic}"))
            .header(header::USER_AGENT, AGENT_USER_AGENT)
            .body(Body::empty())
            .unwrap();
        let login = self.send(request).await;
        assert_eq!(login.status, StatusCode::OK, "{}", login.body);
        login.body["token"].as_str().unwrap().to_owned()
    }

    /// An agent request with `agent_token`; `body` is JSON when given.
    pub async fn agent_call(
        &self,
        method: Method,
        path: &str,
        agent_token: &str,
        body: Option<Value>,
    ) -> Reply {
        let builder = Request::builder()
            .method(method)
            .uri(format!("/api/v1{path}"))
            .header(header::AUTHORIZATION, format!("Bearer {agent_token}"))
            .header(header::USER_AGENT, AGENT_USER_AGENT);
        let request = match body {
            Some(json) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(serde_json::to_vec(&json).unwrap()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        };
        self.send(request).await
    }

    /// Creates a user with `password` and a membership, returning a user JWT.
    pub async fn user(
        &self,
        org: OrganizationId,
        role: UserRole,
        customer: Option<CustomerOrganizationId>,
        password: &str,
    ) -> Caller {
        let now = self.state.clock.now();
        let id = UserAccountId::from_uuid(uuid::Uuid::now_v7());
        let user = UserAccount {
            id,
            created_at: now,
            email: Email::parse(&format!("u{}@example.com", id.as_uuid().simple())).unwrap(),
            name: Name::parse("name", "Test User").unwrap(),
            password_hash: Some(format!("plain:{password}")),
            password_changed_at: None,
            last_logged_in_at: None,
            last_used_organization_id: None,
        };
        self.state.store.create_user(&user).await.unwrap();
        let membership = Membership {
            organization_id: org,
            user_account_id: id,
            user_role: role,
            customer_organization_id: customer,
            created_at: now,
        };
        self.state
            .store
            .create_membership(&membership)
            .await
            .unwrap();
        let token =
            distr_hub::auth::issue_user_token(&self.state.config, now, &user, &membership).unwrap();
        Caller { user_id: id, token }
    }

    /// An organization with two customers and users of every role.
    pub async fn org(&self) -> Org {
        let now = self.state.clock.now();
        let id = OrganizationId::from_uuid(uuid::Uuid::now_v7());
        let org = Organization {
            id,
            created_at: now,
            name: Name::parse("name", "Vendor").unwrap(),
            slug: None,
            pre_connect_script: None,
            post_connect_script: None,
            connect_script_is_sudo: false,
            pre_post_scripts_enabled: false,
        };
        self.state.store.create_organization(&org).await.unwrap();
        let mut customers = Vec::new();
        for name in ["Customer A", "Customer B"] {
            let customer = CustomerOrganization {
                id: CustomerOrganizationId::from_uuid(uuid::Uuid::now_v7()),
                organization_id: id,
                created_at: now,
                name: Name::parse("name", name).unwrap(),
            };
            self.state.store.create_customer(&customer).await.unwrap();
            customers.push(customer.id);
        }
        let (customer, other_customer) = (customers[0], customers[1]);
        Org {
            id,
            customer,
            other_customer,
            admin: self.user(id, UserRole::Admin, None, "pw").await,
            writer: self.user(id, UserRole::ReadWrite, None, "pw").await,
            reader: self.user(id, UserRole::ReadOnly, None, "pw").await,
            customer_admin: self.user(id, UserRole::Admin, Some(customer), "pw").await,
            customer_writer: self
                .user(id, UserRole::ReadWrite, Some(customer), "pw")
                .await,
            customer_reader: self
                .user(id, UserRole::ReadOnly, Some(customer), "pw")
                .await,
        }
    }
}

/// `Bearer` for JWTs, `AccessToken` for PATs.
pub fn auth_header(token: &str) -> String {
    if token.starts_with("distr-") {
        format!("AccessToken {token}")
    } else {
        format!("Bearer {token}")
    }
}

/// Base64 of a text file.
pub fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

pub const COMPOSE: &str =
    "services:\n  web:\n    image: nginx:alpine\n    environment:\n      A: ${A}\n";

/// Runs an async test case on every store: memory, SQLite and PostgreSQL
/// (HS §7 item 2: the API suite passes unchanged on PostgreSQL).
macro_rules! on_both_stores {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn memory() {
                    super::$name($crate::api::support::TestApp::new($crate::api::support::Backend::Memory).await).await;
                }
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::api::support::TestApp::new($crate::api::support::Backend::Sqlite).await).await;
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name($crate::api::support::TestApp::new($crate::api::support::Backend::Postgres).await).await;
                }
            }
        )+
    };
}
