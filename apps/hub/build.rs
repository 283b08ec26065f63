//! utoipa aliases: the domain's id newtypes are UUIDs on the wire, so the
//! OpenAPI document describes them as such without the domain knowing utoipa.

fn main() {
    let ids = [
        "OrganizationId",
        "UserAccountId",
        "CustomerOrganizationId",
        "AccessTokenId",
        "ApplicationId",
        "ApplicationVersionId",
        "TargetId",
        "AgentVersionId",
        "DeploymentId",
        "RevisionId",
        "StatusId",
        "HeartbeatChangeId",
        "MetricsSampleId",
        "LogRecordId",
        "SecretId",
    ];
    let mut config = utoipa_config::Config::new();
    for id in ids {
        config = config.alias_for(id, "uuid::Uuid");
    }
    config.write_to_file();
}
