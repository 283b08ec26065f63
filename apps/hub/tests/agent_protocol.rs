//! Hub-side conformance suite of the agent protocol (AP §12 items 1–56).
//!
//! Every case runs a real Hub on 127.0.0.1:0 and talks to it over HTTP the
//! way a Distr 2.7 agent does. Cases are generic over the store: the
//! `backends!` macro stamps each case once per backend, so a failure reads
//! `memory::login_returns_agent_jwt`. `docs/conformance.md` maps AP §12
//! items to case names.

mod agent_protocol {
    pub mod cases;
    pub mod support;
}

use agent_protocol::support::Backend;

/// Stamps one `#[tokio::test]` per case for a backend factory.
macro_rules! stamp {
    ($backend:ident, $factory:expr; $($group:ident :: $case:ident),* $(,)?) => {
        mod $backend {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let backend: crate::Backend = $factory.await;
                    crate::agent_protocol::cases::$group::$case(backend).await;
                }
            )*
        }
    };
}

/// The list of every case, handed to `stamp!` once per backend.
macro_rules! every_case {
    ($backend:ident, $factory:expr) => {
        stamp!($backend, $factory;
            credentials::access_request_returns_exactly_the_four_fields,
            credentials::access_request_needs_write_role_and_a_visible_target,
            credentials::kubernetes_connect_command_applies_the_connect_url,
            credentials::pre_post_scripts_pipe_pre_connect_into_sudo_sh,
            credentials::stored_salt_and_hash_are_argon2id_of_the_secret,
            credentials::rotation_rejects_the_old_secret_at_once,
            credentials::agent_jwt_issued_before_rotation_stays_valid,
            credentials::target_without_access_request_gets_401,
            credentials::connect_with_non_uuid_target_id_is_400,
            credentials::sixth_connect_call_in_a_minute_is_rate_limited,
            credentials::login_limiter_is_independent_of_connect_limiter,
            credentials::pre_connect_script_has_only_non_blank_sections,
            auth::login_without_basic_or_with_bad_credentials_is_refused,
            auth::login_returns_agent_jwt,
            auth::agent_jwt_verifies_with_the_jwt_secret,
            auth::resources_without_a_valid_token_is_401,
            auth::user_jwt_on_agent_routes_is_401,
            auth::agent_jwt_on_a_user_route_is_401,
            auth::deleted_target_gets_401_for_token_and_login,
            auth::user_agent_updates_the_reported_version,
            auth::request_168_within_a_minute_is_rate_limited,
            auth::errors_are_problem_documents_and_wrong_method_is_405,
            resources::docker_target_without_deployments_gets_version_and_metrics_flag,
            resources::kubernetes_resource_contains_namespace,
            resources::docker_deployment_has_all_keys_and_named_project,
            resources::kubernetes_deployment_has_values_and_null_docker_fields,
            resources::env_file_renders_the_owner_secrets,
            resources::values_merge_recursively_and_replace_lists,
            resources::deployments_come_in_creation_order_with_latest_revision,
            resources::poll_connects_the_target_and_repeats_add_no_history,
            resources::agent_sees_only_its_own_deployments,
            resources::internal_failure_answers_500_and_records_the_heartbeat_error,
            render_failures::bad_new_revision_keeps_serving_the_previous_payload,
            render_failures::bad_revision_gets_a_hub_render_error_status,
            render_failures::deployment_whose_only_revision_cannot_render_is_omitted,
            longpoll::matching_if_none_match_gets_304_and_updates_last_seen,
            longpoll::new_revision_changes_the_etag,
            longpoll::without_if_none_match_there_is_no_304_and_wait_answers_at_once,
            longpoll::long_poll_is_woken_within_a_second_by_a_new_revision,
            longpoll::long_poll_is_woken_by_a_deployment_made_through_the_user_api,
            longpoll::long_poll_without_change_answers_304_after_wait,
            longpoll::held_long_poll_answers_304_at_shutdown,
            longpoll::held_long_polls_are_counted_in_metrics,
            longpoll::two_replicas_give_the_same_etag,
            ingest::valid_status_is_stored_with_an_empty_200,
            ingest::legacy_ok_is_running_and_unknown_type_is_400,
            ingest::status_for_foreign_or_unknown_revision_is_404,
            ingest::identical_statuses_coalesce_and_new_messages_add_records,
            ingest::latest_status_is_newest_record_of_newest_revision,
            ingest::status_message_is_redacted_and_capped,
            ingest::metrics_are_stored_even_when_disabled,
            ingest::log_batch_is_stored_and_a_foreign_pair_rejects_all,
            ingest::empty_and_null_log_bodies_and_target_logs_with_id_are_204,
            ingest::logs_of_a_deployment_with_logs_disabled_are_not_stored,
            manifests::docker_agent_manifest_equals_connect_without_the_secret,
            manifests::kubernetes_agent_manifest_has_no_auth_secret,
            manifests::docker_manifest_has_the_upstream_shape,
            manifests::manifests_have_no_registry_keys_without_registry,
            manifests::image_repository_settings_change_the_images,
            manifests::kubernetes_documents_come_in_order,
            manifests::rbac_follows_the_scope,
            manifests::agent_resources_default_or_follow_the_target,
            manifests::compose_manifest_passes_docker_compose_config,
            manifests::kubernetes_manifest_parses_into_k8s_types,
        );
    };
}

async fn memory_backend() -> Backend {
    Backend {
        store: std::sync::Arc::new(distr_testkit::MemoryStore::new()),
        guard: Box::new(()),
    }
}

/// A migrated SQLite file in its own temp dir.
async fn sqlite_backend() -> Backend {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("distr.db").display());
    let store =
        distr_sql_store::SqlStore::open(&url, distr_sql_store::OpenOptions { max_connections: 4 })
            .await
            .expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    Backend {
        store: std::sync::Arc::new(store),
        guard: Box::new(dir),
    }
}

/// A migrated database on the process's throwaway PostgreSQL cluster.
async fn postgres_backend() -> Backend {
    let cluster = distr_testkit::postgres::PgCluster::shared().expect("start PostgreSQL");
    let url = cluster.create_database().await.expect("create database");
    let store =
        distr_sql_store::SqlStore::open(&url, distr_sql_store::OpenOptions { max_connections: 4 })
            .await
            .expect("open postgres");
    store.migrate().await.expect("migrate postgres");
    Backend {
        store: std::sync::Arc::new(store),
        guard: Box::new(()),
    }
}

every_case!(memory, crate::memory_backend());
stamp!(memory_slow, crate::memory_backend(); longpoll::wait_600_is_held_sixty_seconds_at_most);
every_case!(sqlite, crate::sqlite_backend());
every_case!(postgres, crate::postgres_backend());
