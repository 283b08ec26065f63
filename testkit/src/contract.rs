//! The store contract suite: one public async function per MUST sentence (and
//! per ordering or scoping rule) of the store ports, and
//! [`store_contract_tests!`](crate::store_contract_tests) to run them all
//! against a store implementation.
//!
//! Every case creates its own rows with fresh ids, unique slugs, e-mails and
//! names, so cases pass on an empty store and on one shared with other cases.
//! Timestamps are whole microseconds (what the stores keep).

pub mod access_tokens;
pub mod agent_versions;
pub mod applications;
pub mod customers;
pub mod deployments;
pub mod fleet;
pub mod heartbeats;
pub mod memberships;
pub mod new_target;
pub mod organizations;
pub mod retention;
pub mod secrets;
pub mod seed;
pub mod settings;
pub mod statuses;
pub mod targets;
pub mod telemetry;
pub mod users;

use std::any::Any;
use std::sync::Arc;

use distr_ports::Store;

/// A store under test plus whatever must live as long as it (a temp dir, a
/// database handle to drop afterwards).
pub struct StoreFixture {
    /// The store the cases run against.
    pub store: Arc<dyn Store>,
    /// Dropped after the case.
    pub _guard: Box<dyn Any + Send>,
}

impl StoreFixture {
    /// A fixture that needs no guard.
    #[must_use]
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            _guard: Box::new(()),
        }
    }

    /// A fixture keeping `guard` alive until the case ends.
    #[must_use]
    pub fn with_guard(store: Arc<dyn Store>, guard: impl Any + Send) -> Self {
        Self {
            store,
            _guard: Box::new(guard),
        }
    }
}

impl std::fmt::Debug for StoreFixture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreFixture")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// Stamps one `#[tokio::test]` per contract case into the current module.
///
/// `$factory` is an `async fn() -> StoreFixture` (a path, or any expression
/// callable with no arguments returning such a future); it is called once per
/// case, so each case gets a fresh store. Wrap the call in a module named
/// after the backend so failures read `sqlite::create_organization_rejects_duplicate_slug`.
/// The calling crate needs `tokio` (with `macros` and `rt`) as a dev-dependency.
///
/// ```ignore
/// async fn memory() -> distr_testkit::contract::StoreFixture {
///     distr_testkit::contract::StoreFixture::new(std::sync::Arc::new(distr_testkit::MemoryStore::new()))
/// }
///
/// mod memory_store {
///     distr_testkit::store_contract_tests!(super::memory);
/// }
/// ```
#[macro_export]
macro_rules! store_contract_tests {
    ($factory:expr) => {
        $crate::store_contract_tests!(@cases ($factory);
            organizations::create_then_get_organization_round_trips,
            organizations::create_organization_rejects_duplicate_slug,
            organizations::organizations_without_slug_do_not_conflict,
            organizations::get_unknown_organization_is_not_found,
            organizations::update_organization_replaces_mutable_fields,
            organizations::update_unknown_organization_is_not_found,
            organizations::update_organization_to_taken_slug_conflicts,
            organizations::update_organization_keeping_its_slug_succeeds,
            organizations::count_organizations_counts_created_rows,
            users::create_then_get_user_round_trips,
            users::create_user_rejects_taken_email,
            users::find_user_by_email_matches_lowercased_address,
            users::find_user_by_unknown_email_is_none,
            users::get_unknown_user_is_not_found,
            users::update_user_replaces_mutable_fields,
            users::update_unknown_user_is_not_found,
            users::create_membership_rejects_second_membership_in_same_organization,
            users::memberships_list_oldest_first,
            users::get_membership_of_other_organization_is_none,
            users::record_login_sets_last_login_and_organization,
            users::members_of_organization_come_with_their_accounts,
            users::set_password_if_unchanged_succeeds_once,
            users::record_login_of_unknown_user_is_not_found,
            memberships::update_membership_role_changes_only_the_role,
            memberships::membership_changes_of_non_members_are_not_found,
            memberships::demoting_the_last_vendor_admin_is_refused,
            memberships::delete_membership_removes_it_and_its_tokens_there,
            memberships::removing_the_last_vendor_admin_is_refused,
            access_tokens::access_token_is_found_by_hash,
            access_tokens::create_access_token_rejects_duplicate_hash,
            access_tokens::list_access_tokens_is_scoped_and_oldest_first,
            access_tokens::delete_access_token_of_other_owner_is_not_found,
            access_tokens::delete_access_token_removes_it,
            access_tokens::touch_access_token_sets_last_used_and_ignores_unknown,
            customers::create_customer_rejects_duplicate_name_in_organization,
            customers::same_customer_name_in_other_organization_is_allowed,
            customers::get_customer_of_other_organization_is_not_found,
            customers::list_customers_is_scoped_and_sorted_by_name,
            customers::customer_counts_are_exact,
            customers::update_customer_renames_and_rejects_taken_names,
            customers::delete_customer_blocks_on_targets_and_cascades_the_rest,
            applications::get_application_of_other_organization_is_not_found,
            applications::list_applications_is_scoped_and_sorted_by_name,
            applications::create_version_rejects_duplicate_name_per_application,
            applications::create_version_of_unknown_application_is_not_found,
            applications::get_version_of_other_organization_is_not_found,
            applications::get_versions_leaves_out_unknown_ids,
            applications::list_versions_is_oldest_first,
            applications::version_content_round_trips,
            applications::update_application_renames_within_organization,
            applications::delete_application_in_use_conflicts_otherwise_cascades_versions,
            applications::update_version_changes_name_and_archive_only,
            applications::delete_version_referenced_by_revision_is_in_use,
            agent_versions::upsert_agent_version_is_idempotent_by_name,
            agent_versions::concurrent_upserts_of_one_agent_version_agree,
            agent_versions::get_unknown_agent_version_is_not_found,
            agent_versions::agent_versions_are_found_by_name_and_listed_oldest_first,
            targets::create_then_get_target_round_trips,
            targets::get_target_of_other_organization_is_not_found,
            targets::list_targets_puts_vendor_owned_first_then_groups_by_customer,
            targets::list_targets_of_customer_returns_only_its_targets,
            targets::update_target_replaces_only_mutable_fields,
            targets::update_target_of_other_organization_is_not_found,
            targets::delete_target_of_other_organization_is_not_found,
            targets::delete_target_cascades_to_everything_it_owns,
            targets::set_target_secret_replaces_salt_and_hash,
            targets::set_reported_agent_version_sets_it_and_ignores_unknown_target,
            heartbeats::first_heartbeat_records_message_change,
            heartbeats::record_heartbeat_coalesces_within_ten_seconds,
            heartbeats::record_heartbeat_refreshes_after_ten_seconds,
            heartbeats::record_heartbeat_with_new_message_records_change,
            heartbeats::heartbeat_of_unknown_target_is_ignored,
            deployments::create_deployment_stores_deployment_and_first_revision,
            deployments::helm_deployment_and_revision_round_trip,
            deployments::create_deployment_with_duplicate_release_name_stores_nothing,
            deployments::same_release_name_on_other_target_is_allowed,
            deployments::create_deployment_on_unknown_target_is_not_found,
            deployments::add_revision_to_unknown_deployment_is_not_found,
            deployments::current_revision_is_newest_by_created_at,
            deployments::current_revision_ties_break_by_greater_id,
            deployments::current_revisions_cover_each_requested_deployment,
            deployments::list_deployments_of_targets_is_in_creation_order,
            deployments::set_logs_enabled_changes_flag_without_new_revision,
            deployments::delete_deployment_cascades_to_revisions_statuses_logs_and_payload,
            deployments::delete_unknown_deployment_is_not_found,
            new_target::create_target_with_deployment_stores_all_three,
            new_target::create_target_with_deployment_with_taken_deployment_id_stores_nothing,
            new_target::create_target_with_deployment_with_taken_target_id_stores_nothing,
            statuses::record_status_inserts_first_report,
            statuses::record_status_coalesces_identical_reports_per_revision,
            statuses::record_status_with_new_type_or_message_inserts_record,
            statuses::record_status_returning_to_earlier_status_inserts_record,
            statuses::record_status_does_not_coalesce_across_revisions,
            statuses::record_status_for_unknown_revision_is_not_found,
            statuses::latest_status_is_newest_record_of_newest_revision_with_records,
            statuses::latest_statuses_leave_out_deployments_without_records,
            statuses::list_statuses_pages_with_cursor_without_loss,
            statuses::list_statuses_after_returns_only_newer_rows,
            telemetry::insert_metrics_for_unknown_target_is_not_found,
            telemetry::latest_metrics_is_newest_sample_per_target,
            telemetry::deployment_logs_list_by_resource_newest_first,
            telemetry::insert_deployment_logs_is_all_or_none,
            telemetry::deployment_logs_page_with_cursor_without_loss,
            telemetry::target_logs_list_newest_first_and_page,
            telemetry::insert_target_logs_is_all_or_none,
            telemetry::list_metrics_returns_the_range_oldest_first,
            telemetry::list_log_resources_is_distinct_and_sorted,
            secrets::create_secret_rejects_duplicate_key_in_same_scope,
            secrets::same_secret_key_in_other_organization_is_allowed,
            secrets::list_secrets_returns_exactly_one_scope,
            secrets::list_organization_secrets_returns_every_scope_of_one_organization,
            secrets::update_secret_replaces_value_and_audit_fields,
            secrets::update_secret_of_other_organization_is_not_found,
            secrets::delete_secret_is_scoped_to_organization,
            secrets::get_secret_is_scoped_to_organization,
            secrets::change_secret_value_copies_only_referencing_current_revisions,
            secrets::change_secret_value_of_other_organization_is_not_found,
            secrets::delete_secret_referenced_by_current_revision_is_in_use,
            secrets::list_all_last_good_payloads_lists_stored_ones,
            secrets::last_good_payload_put_replaces_and_get_leaves_out_missing,
            secrets::put_last_good_payload_for_missing_deployment_is_ignored,
            retention::retention_trims_heartbeat_history_keeping_each_targets_newest,
            retention::retention_trims_statuses_keeping_each_deployments_newest,
            retention::retention_trims_metrics_keeping_each_targets_newest,
            retention::retention_keeps_newest_workload_logs_per_resource,
            retention::retention_keeps_newest_agent_logs_per_target,
            retention::retention_on_empty_tables_deletes_nothing,
            retention::lease_is_exclusive_and_each_slot_runs_once,
            retention::lapsed_lease_is_taken_over,
            retention::concurrent_lease_requests_grant_one,
            fleet::fleet_counts_classify_targets_and_deployments,
            fleet::fleet_counts_of_an_empty_store_are_zero,
            settings::put_setting_if_absent_keeps_first_value,
            settings::concurrent_put_setting_if_absent_agree,
            settings::get_unknown_setting_is_none,
            settings::replace_setting_overwrites_and_inserts,
            settings::ping_succeeds_on_healthy_store,
        );
    };
    (@cases ($factory:expr); $($module:ident :: $case:ident,)*) => {
        $(
            #[::tokio::test]
            async fn $case() {
                let fixture: $crate::contract::StoreFixture = ($factory)().await;
                $crate::contract::$module::$case(&*fixture.store).await;
                drop(fixture);
            }
        )*
    };
}
