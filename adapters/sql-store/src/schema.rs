//! The one `diesel` schema both backends share.
//!
//! Column types are chosen to be portable: ids are `Text` (hyphenated UUIDs),
//! times are `BigInt` microseconds since the Unix epoch (UTC), bytes are
//! `Binary` (BLOB / BYTEA) and usages are `Double`.

diesel::table! {
    organizations (id) {
        id -> Text,
        created_at -> BigInt,
        name -> Text,
        slug -> Nullable<Text>,
        pre_connect_script -> Nullable<Text>,
        post_connect_script -> Nullable<Text>,
        connect_script_is_sudo -> Bool,
        pre_post_scripts_enabled -> Bool,
    }
}

diesel::table! {
    user_accounts (id) {
        id -> Text,
        created_at -> BigInt,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        password_changed_at -> Nullable<BigInt>,
        last_logged_in_at -> Nullable<BigInt>,
        last_used_organization_id -> Nullable<Text>,
    }
}

diesel::table! {
    customer_organizations (id) {
        id -> Text,
        organization_id -> Text,
        created_at -> BigInt,
        name -> Text,
    }
}

diesel::table! {
    memberships (organization_id, user_account_id) {
        organization_id -> Text,
        user_account_id -> Text,
        user_role -> Text,
        customer_organization_id -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    access_tokens (id) {
        id -> Text,
        created_at -> BigInt,
        user_account_id -> Text,
        organization_id -> Text,
        label -> Text,
        expires_at -> Nullable<BigInt>,
        last_used_at -> Nullable<BigInt>,
        key_hash -> Binary,
        key_hint -> Text,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        organization_id -> Text,
        created_at -> BigInt,
        name -> Text,
        app_type -> Text,
    }
}

diesel::table! {
    application_versions (id) {
        id -> Text,
        application_id -> Text,
        created_at -> BigInt,
        name -> Text,
        archived_at -> Nullable<BigInt>,
        platform -> Text,
        compose_file -> Nullable<Text>,
        template_file -> Nullable<Text>,
        chart_type -> Nullable<Text>,
        chart_url -> Nullable<Text>,
        chart_name -> Nullable<Text>,
        chart_version -> Nullable<Text>,
        values_file -> Nullable<Text>,
    }
}

diesel::table! {
    agent_versions (id) {
        id -> Text,
        created_at -> BigInt,
        name -> Text,
        docker_image_repository -> Nullable<Text>,
        kubernetes_image_repository -> Nullable<Text>,
    }
}

diesel::table! {
    deployment_targets (id) {
        id -> Text,
        organization_id -> Text,
        customer_organization_id -> Nullable<Text>,
        created_at -> BigInt,
        name -> Text,
        target_type -> Text,
        namespace -> Nullable<Text>,
        scope -> Nullable<Text>,
        metrics_enabled -> Bool,
        cpu_request -> Nullable<Text>,
        memory_request -> Nullable<Text>,
        cpu_limit -> Nullable<Text>,
        memory_limit -> Nullable<Text>,
        agent_version_id -> Text,
        reported_agent_version_id -> Nullable<Text>,
        secret_salt -> Nullable<Binary>,
        secret_hash -> Nullable<Binary>,
        last_seen_at -> Nullable<BigInt>,
        heartbeat_message -> Nullable<Text>,
        heartbeat_message_since -> Nullable<BigInt>,
        heartbeat_change_id -> Nullable<Text>,
    }
}

diesel::table! {
    target_heartbeat_changes (id) {
        id -> Text,
        deployment_target_id -> Text,
        created_at -> BigInt,
        message -> Text,
    }
}

diesel::table! {
    target_metrics_samples (id) {
        id -> Text,
        deployment_target_id -> Text,
        created_at -> BigInt,
        cpu_cores_millis -> BigInt,
        cpu_usage -> Double,
        memory_bytes -> BigInt,
        memory_usage -> Double,
    }
}

diesel::table! {
    target_log_records (id) {
        id -> Text,
        deployment_target_id -> Text,
        created_at -> BigInt,
        timestamp -> BigInt,
        severity -> Text,
        body -> Text,
    }
}

diesel::table! {
    deployments (id) {
        id -> Text,
        deployment_target_id -> Text,
        application_id -> Text,
        created_at -> BigInt,
        docker_type -> Nullable<Text>,
        release_name -> Nullable<Text>,
        logs_enabled -> Bool,
    }
}

diesel::table! {
    deployment_revisions (id) {
        id -> Text,
        deployment_id -> Text,
        created_at -> BigInt,
        application_version_id -> Text,
        values_yaml -> Nullable<Text>,
        env_file_data -> Nullable<Text>,
        force_restart -> Bool,
        ignore_revision_skew -> Bool,
        created_by_user_account_id -> Nullable<Text>,
        trigger -> Text,
    }
}

diesel::table! {
    deployment_revision_statuses (id) {
        id -> Text,
        deployment_revision_id -> Text,
        status_type -> Text,
        message -> Text,
        first_reported_at -> BigInt,
        last_reported_at -> BigInt,
    }
}

diesel::table! {
    deployment_log_records (id) {
        id -> Text,
        deployment_id -> Text,
        deployment_revision_id -> Text,
        resource -> Text,
        timestamp -> BigInt,
        severity -> Text,
        body -> Text,
    }
}

diesel::table! {
    last_good_payloads (deployment_id) {
        deployment_id -> Text,
        revision_id -> Text,
        payload_ciphertext -> Binary,
        updated_at -> BigInt,
    }
}

diesel::table! {
    secrets (id) {
        id -> Text,
        organization_id -> Text,
        customer_organization_id -> Nullable<Text>,
        key -> Text,
        value_ciphertext -> Binary,
        created_at -> BigInt,
        updated_at -> BigInt,
        updated_by_user_account_id -> Nullable<Text>,
    }
}

diesel::table! {
    hub_settings (key) {
        key -> Text,
        value -> Binary,
    }
}

diesel::table! {
    retention_leases (name) {
        name -> Text,
        holder -> Text,
        slot -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::joinable!(application_versions -> applications (application_id));
diesel::joinable!(deployment_revisions -> deployments (deployment_id));
diesel::joinable!(deployment_revision_statuses -> deployment_revisions (deployment_revision_id));
diesel::joinable!(deployments -> deployment_targets (deployment_target_id));
diesel::joinable!(memberships -> user_accounts (user_account_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    user_accounts,
    customer_organizations,
    memberships,
    access_tokens,
    applications,
    application_versions,
    agent_versions,
    deployment_targets,
    target_heartbeat_changes,
    target_metrics_samples,
    target_log_records,
    deployments,
    deployment_revisions,
    deployment_revision_statuses,
    deployment_log_records,
    last_good_payloads,
    secrets,
    hub_settings,
    retention_leases,
);
