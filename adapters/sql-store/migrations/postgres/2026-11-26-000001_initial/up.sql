-- Initial schema (Postgres). Text uses the "C" collation so ordering matches SQLite byte order.

CREATE TABLE organizations (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    slug TEXT COLLATE "C",
    pre_connect_script TEXT COLLATE "C",
    post_connect_script TEXT COLLATE "C",
    connect_script_is_sudo BOOLEAN NOT NULL,
    pre_post_scripts_enabled BOOLEAN NOT NULL,
    CONSTRAINT organizations_slug_key UNIQUE (slug)
);

CREATE TABLE user_accounts (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    email TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    password_hash TEXT COLLATE "C",
    password_changed_at BIGINT,
    last_logged_in_at BIGINT,
    last_used_organization_id TEXT COLLATE "C",
    CONSTRAINT user_accounts_email_key UNIQUE (email)
);

CREATE TABLE customer_organizations (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    CONSTRAINT customer_organizations_name_key UNIQUE (organization_id, name)
);

CREATE TABLE memberships (
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_account_id TEXT COLLATE "C" NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
    user_role TEXT COLLATE "C" NOT NULL,
    customer_organization_id TEXT COLLATE "C" REFERENCES customer_organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (organization_id, user_account_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_account_id, created_at);
CREATE INDEX memberships_customer_idx ON memberships (customer_organization_id);

CREATE TABLE access_tokens (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    user_account_id TEXT COLLATE "C" NOT NULL REFERENCES user_accounts (id) ON DELETE CASCADE,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    label TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT,
    last_used_at BIGINT,
    key_hash BYTEA NOT NULL,
    key_hint TEXT COLLATE "C" NOT NULL,
    CONSTRAINT access_tokens_key_hash_key UNIQUE (key_hash)
);
CREATE INDEX access_tokens_owner_idx ON access_tokens (organization_id, user_account_id, created_at);

CREATE TABLE applications (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    app_type TEXT COLLATE "C" NOT NULL
);
CREATE INDEX applications_organization_idx ON applications (organization_id, name);

CREATE TABLE application_versions (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    application_id TEXT COLLATE "C" NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    archived_at BIGINT,
    platform TEXT COLLATE "C" NOT NULL,
    compose_file TEXT COLLATE "C",
    template_file TEXT COLLATE "C",
    chart_type TEXT COLLATE "C",
    chart_url TEXT COLLATE "C",
    chart_name TEXT COLLATE "C",
    chart_version TEXT COLLATE "C",
    values_file TEXT COLLATE "C",
    CONSTRAINT application_versions_name_key UNIQUE (application_id, name)
);
CREATE INDEX application_versions_created_idx ON application_versions (application_id, created_at);

CREATE TABLE agent_versions (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    docker_image_repository TEXT COLLATE "C",
    kubernetes_image_repository TEXT COLLATE "C",
    CONSTRAINT agent_versions_name_key UNIQUE (name)
);

-- A customer that owns targets cannot be deleted (HS 2.5: 409 not-empty), hence no cascade.
CREATE TABLE deployment_targets (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_organization_id TEXT COLLATE "C" REFERENCES customer_organizations (id),
    created_at BIGINT NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    target_type TEXT COLLATE "C" NOT NULL,
    namespace TEXT COLLATE "C",
    scope TEXT COLLATE "C",
    metrics_enabled BOOLEAN NOT NULL,
    cpu_request TEXT COLLATE "C",
    memory_request TEXT COLLATE "C",
    cpu_limit TEXT COLLATE "C",
    memory_limit TEXT COLLATE "C",
    agent_version_id TEXT COLLATE "C" NOT NULL REFERENCES agent_versions (id),
    reported_agent_version_id TEXT COLLATE "C" REFERENCES agent_versions (id),
    secret_salt BYTEA,
    secret_hash BYTEA,
    last_seen_at BIGINT,
    heartbeat_message TEXT COLLATE "C",
    heartbeat_message_since BIGINT,
    heartbeat_change_id TEXT COLLATE "C"
);
CREATE INDEX deployment_targets_organization_idx
    ON deployment_targets (organization_id, customer_organization_id, name);
CREATE INDEX deployment_targets_customer_idx ON deployment_targets (customer_organization_id);
CREATE INDEX deployment_targets_agent_version_idx ON deployment_targets (agent_version_id);
CREATE INDEX deployment_targets_reported_agent_version_idx ON deployment_targets (reported_agent_version_id);

CREATE TABLE target_heartbeat_changes (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_target_id TEXT COLLATE "C" NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    message TEXT COLLATE "C" NOT NULL
);
CREATE INDEX target_heartbeat_changes_target_idx ON target_heartbeat_changes (deployment_target_id, created_at);

CREATE TABLE target_metrics_samples (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_target_id TEXT COLLATE "C" NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    cpu_cores_millis BIGINT NOT NULL,
    cpu_usage DOUBLE PRECISION NOT NULL,
    memory_bytes BIGINT NOT NULL,
    memory_usage DOUBLE PRECISION NOT NULL
);
CREATE INDEX target_metrics_samples_target_idx ON target_metrics_samples (deployment_target_id, created_at, id);

CREATE TABLE target_log_records (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_target_id TEXT COLLATE "C" NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    timestamp BIGINT NOT NULL,
    severity TEXT COLLATE "C" NOT NULL,
    body TEXT COLLATE "C" NOT NULL
);
CREATE INDEX target_log_records_target_idx ON target_log_records (deployment_target_id, timestamp, id);

-- An application referenced by a deployment or revision is in use (HS 2.5), hence no cascade.
CREATE TABLE deployments (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_target_id TEXT COLLATE "C" NOT NULL REFERENCES deployment_targets (id) ON DELETE CASCADE,
    application_id TEXT COLLATE "C" NOT NULL REFERENCES applications (id),
    created_at BIGINT NOT NULL,
    docker_type TEXT COLLATE "C",
    release_name TEXT COLLATE "C",
    logs_enabled BOOLEAN NOT NULL,
    CONSTRAINT deployments_release_name_key UNIQUE (deployment_target_id, release_name)
);
CREATE INDEX deployments_target_idx ON deployments (deployment_target_id, created_at, id);
CREATE INDEX deployments_application_idx ON deployments (application_id);

CREATE TABLE deployment_revisions (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_id TEXT COLLATE "C" NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    application_version_id TEXT COLLATE "C" NOT NULL REFERENCES application_versions (id),
    values_yaml TEXT COLLATE "C",
    env_file_data TEXT COLLATE "C",
    force_restart BOOLEAN NOT NULL,
    ignore_revision_skew BOOLEAN NOT NULL,
    created_by_user_account_id TEXT COLLATE "C",
    trigger TEXT COLLATE "C" NOT NULL
);
CREATE INDEX deployment_revisions_deployment_idx ON deployment_revisions (deployment_id, created_at, id);
CREATE INDEX deployment_revisions_version_idx ON deployment_revisions (application_version_id);

CREATE TABLE deployment_revision_statuses (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_revision_id TEXT COLLATE "C" NOT NULL REFERENCES deployment_revisions (id) ON DELETE CASCADE,
    status_type TEXT COLLATE "C" NOT NULL,
    message TEXT COLLATE "C" NOT NULL,
    first_reported_at BIGINT NOT NULL,
    last_reported_at BIGINT NOT NULL
);
CREATE INDEX deployment_revision_statuses_revision_idx
    ON deployment_revision_statuses (deployment_revision_id, last_reported_at, id);

CREATE TABLE deployment_log_records (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    deployment_id TEXT COLLATE "C" NOT NULL REFERENCES deployments (id) ON DELETE CASCADE,
    deployment_revision_id TEXT COLLATE "C" NOT NULL,
    resource TEXT COLLATE "C" NOT NULL,
    timestamp BIGINT NOT NULL,
    severity TEXT COLLATE "C" NOT NULL,
    body TEXT COLLATE "C" NOT NULL
);
CREATE INDEX deployment_log_records_resource_idx
    ON deployment_log_records (deployment_id, resource, timestamp, id);

CREATE TABLE last_good_payloads (
    deployment_id TEXT COLLATE "C" NOT NULL PRIMARY KEY REFERENCES deployments (id) ON DELETE CASCADE,
    revision_id TEXT COLLATE "C" NOT NULL,
    payload_ciphertext BYTEA NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE secrets (
    id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    organization_id TEXT COLLATE "C" NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    customer_organization_id TEXT COLLATE "C" REFERENCES customer_organizations (id) ON DELETE CASCADE,
    key TEXT COLLATE "C" NOT NULL,
    value_ciphertext BYTEA NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by_user_account_id TEXT COLLATE "C"
);
-- NULL (vendor scope) must collide with NULL, so the index uses '' for it.
CREATE UNIQUE INDEX secrets_scope_key_idx
    ON secrets (organization_id, COALESCE(customer_organization_id, ''), key);
CREATE INDEX secrets_customer_idx ON secrets (customer_organization_id);

CREATE TABLE hub_settings (
    key TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    value BYTEA NOT NULL
);
