-- Initial schema. Ids are UUID text, times are microseconds since the epoch (UTC).

CREATE TABLE organizations (
    id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    slug TEXT,
    pre_connect_script TEXT,
    post_connect_script TEXT,
    connect_script_is_sudo BOOLEAN NOT NULL,
    pre_post_scripts_enabled BOOLEAN NOT NULL,
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE user_accounts (
    id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    password_hash TEXT,
    password_changed_at BIGINT,
    last_logged_in_at BIGINT,
    last_used_organization_id TEXT,
    CONSTRAINT user_accounts_email_key UNIQUE (email)
);

CREATE TABLE customer_organizations (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    CONSTRAINT customer_organizations_name_key UNIQUE (organization_id, name)
);

CREATE TABLE memberships (
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_account_id TEXT NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
    user_role TEXT NOT NULL,
    customer_organization_id TEXT REFERENCES customer_organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (organization_id, user_account_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_account_id, created_at);
CREATE INDEX memberships_customer_idx ON memberships (customer_organization_id);

CREATE TABLE access_tokens (
    id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    user_account_id TEXT NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    label TEXT NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    key_hash BLOB NOT NULL,
    key_hint TEXT NOT NULL,
    CONSTRAINT access_tokens_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX access_tokens_owner_idx ON access_tokens (organization_id, user_account_id, created_at);

CREATE TABLE applications (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    app_type TEXT NOT NULL
);
CREATE INDEX applications_organization_idx ON applications (organization_id, name);

CREATE TABLE application_versions (
    id TEXT NOT NULL PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    archived_at BIGINT,
    platform TEXT NOT NULL,
    compose_file TEXT,
    template_file TEXT,
    chart_type TEXT,
    chart_url TEXT,
    chart_name TEXT,
    chart_version TEXT,
    values_file TEXT,
    CONSTRAINT application_versions_name_key UNIQUE (application_id, name)
);
CREATE INDEX application_versions_created_idx ON application_versions (application_id, created_at);

CREATE TABLE agent_versions (
    id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    docker_image_repository TEXT,
    kubernetes_image_repository TEXT,
    CONSTRAINT agent_versions_name_key UNIQUE (name)
);

-- A customer that owns targets cannot be deleted (HS 2.5: 409 not-empty), hence no cascade.
CREATE TABLE deployment_targets (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_organization_id TEXT REFERENCES customer_organizations (id),
    created_at BIGINT NOT NULL,
    name TEXT NOT NULL,
    target_type TEXT NOT NULL,
    namespace TEXT,
    scope TEXT,
    metrics_enabled BOOLEAN NOT NULL,
    cpu_request TEXT,
    memory_request TEXT,
    cpu_limit TEXT,
    memory_limit TEXT,
    agent_version_id TEXT NOT NULL REFERENCES agent_versions (id),
    reported_agent_version_id TEXT REFERENCES agent_versions (id),
    secret_salt BLOB,
    secret_hash BLOB,
    last_seen_at BIGINT,
    heartbeat_message TEXT,
    heartbeat_message_since BIGINT,
    heartbeat_change_id TEXT
);
CREATE INDEX deployment_targets_organization_idx
    ON deployment_targets (organization_id, customer_organization_id, name);
CREATE INDEX deployment_targets_customer_idx ON deployment_targets (customer_organization_id);
CREATE INDEX deployment_targets_agent_version_idx ON deployment_targets (agent_version_id);
CREATE INDEX deployment_targets_reported_agent_version_idx ON deployment_targets (reported_agent_version_id);

CREATE TABLE target_heartbeat_changes (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_target_id TEXT NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX target_heartbeat_changes_target_idx ON target_heartbeat_changes (deployment_target_id, created_at);

CREATE TABLE target_metrics_samples (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_target_id TEXT NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    cpu_cores_millis BIGINT NOT NULL,
    cpu_usage DOUBLE NOT NULL,
    memory_bytes BIGINT NOT NULL,
    memory_usage DOUBLE NOT NULL
);
CREATE INDEX target_metrics_samples_target_idx ON target_metrics_samples (deployment_target_id, created_at, id);

CREATE TABLE target_log_records (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_target_id TEXT NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    timestamp BIGINT NOT NULL,
    severity TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX target_log_records_target_idx ON target_log_records (deployment_target_id, timestamp, id);

-- An application referenced by a deployment or revision is in use (HS 2.5), hence no cascade.
CREATE TABLE deployments (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_target_id TEXT NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL REFERENCES applications (id),
    created_at BIGINT NOT NULL,
    docker_type TEXT,
    release_name TEXT,
    logs_enabled BOOLEAN NOT NULL,
    CONSTRAINT deployments_release_name_key UNIQUE (deployment_target_id, release_name)
);
CREATE INDEX deployments_target_idx ON deployments (deployment_target_id, created_at, id);
CREATE INDEX deployments_application_idx ON deployments (application_id);

CREATE TABLE deployment_revisions (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    application_version_id TEXT NOT NULL REFERENCES application_versions (id),
    values_yaml TEXT,
    env_file_data TEXT,
    force_restart BOOLEAN NOT NULL,
    ignore_revision_skew BOOLEAN NOT NULL,
    created_by_user_account_id TEXT,
    trigger TEXT NOT NULL
);
CREATE INDEX deployment_revisions_deployment_idx ON deployment_revisions (deployment_id, created_at, id);
CREATE INDEX deployment_revisions_version_idx ON deployment_revisions (application_version_id);

CREATE TABLE deployment_revision_statuses (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_revision_id TEXT NOT NULL REFERENCES deployment_revisions (id) ON DELETE CASCADE,
    status_type TEXT NOT NULL,
    message TEXT NOT NULL,
    first_reported_at BIGINT NOT NULL,
    last_reported_at BIGINT NOT NULL
);
CREATE INDEX deployment_revision_statuses_revision_idx
    ON deployment_revision_statuses (deployment_revision_id, last_reported_at, id);

CREATE TABLE deployment_log_records (
    id TEXT NOT NULL PRIMARY KEY,
    deployment_id TEXT NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    deployment_revision_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    timestamp BIGINT NOT NULL,
    severity TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX deployment_log_records_resource_idx
    ON deployment_log_records (deployment_id, resource, timestamp, id);

CREATE TABLE last_good_payloads (
    deployment_id TEXT NOT NULL PRIMARY KEY REFERENCES deployments (id) ON DELETE CASCADE,
    revision_id TEXT NOT NULL,
    payload_ciphertext BLOB NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE secrets (
    id TEXT NOT NULL PRIMARY KEY,
    organization_id TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_organization_id TEXT REFERENCES customer_organizations (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value_ciphertext BLOB NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by_user_account_id TEXT
);
-- NULL (vendor scope) must collide with NULL, so the index uses '' for it.
CREATE UNIQUE INDEX secrets_scope_key_idx
    ON secrets (organization_id, COALESCE(customer_organization_id, ''), key);
CREATE INDEX secrets_customer_idx ON secrets (customer_organization_id);

CREATE TABLE hub_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value BLOB NOT NULL
);
