use async_trait::async_trait;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::deployment::DeploymentRevision;
use distr_domain::ids::{
    CustomerOrganizationId, DeploymentId, OrganizationId, RevisionId, SecretId,
};
use distr_domain::secret::{LastGoodPayload, Secret, SecretKey};
use distr_ports::StoreError;
use distr_ports::store::{LastGoodPayloadStore, SecretStore};
use uuid::Uuid;

use super::deployments::RevisionRow;
use crate::convert::{id, micros, opt_id, opt_text, time};
use crate::error::{Fail, classify, corrupt, is_foreign_key_violation, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::{
    deployment_revisions as r, deployment_targets as t, deployments as d, last_good_payloads as lg,
    secrets as s,
};

/// Inside a transaction on `$conn`: the stored secret `$id` of `$org`
/// (`NotFound` otherwise) and the current revisions, on targets of its scope,
/// that reference its key (HS §2.5, §3.8). Stamped per backend like `with_conn!`.
macro_rules! secret_and_referencing_revisions {
    ($conn:ident, $org:expr, $id:expr) => {{
        let row: SecretRow = s::table
            .find($id)
            .filter(s::organization_id.eq($org))
            .select(SecretRow::as_select())
            .first($conn)
            .await?;
        let stored = Secret::try_from(row)?;
        let mut targets = t::table
            .filter(t::organization_id.eq($org))
            .select(t::id)
            .into_boxed();
        targets = match opt_text(stored.customer_organization_id) {
            Some(customer) => targets.filter(t::customer_organization_id.eq(customer)),
            None => targets.filter(t::customer_organization_id.is_null()),
        };
        let targets: Vec<String> = targets.load($conn).await?;
        let newer = diesel::alias!(crate::schema::deployment_revisions as newest);
        let newest_id = newer
            .select(newer.field(r::id))
            .filter(newer.field(r::deployment_id).eq(d::id))
            .order((newer.field(r::created_at).desc(), newer.field(r::id).desc()))
            .limit(1)
            .single_value();
        let current_ids = d::table
            .filter(d::deployment_target_id.eq_any(&targets))
            .select(newest_id);
        let rows: Vec<RevisionRow> = r::table
            .filter(r::id.nullable().eq_any(current_ids))
            .select(RevisionRow::as_select())
            .order(r::deployment_id.asc())
            .load($conn)
            .await?;
        let mut referencing = Vec::new();
        for row in rows {
            let revision = DeploymentRevision::try_from(row)?;
            if revision.references_secret(stored.key.as_str()) {
                referencing.push(revision);
            }
        }
        (stored, referencing)
    }};
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = s)]
struct SecretRow {
    id: String,
    organization_id: String,
    customer_organization_id: Option<String>,
    key: String,
    value_ciphertext: Vec<u8>,
    created_at: i64,
    updated_at: i64,
    updated_by_user_account_id: Option<String>,
}

impl From<&Secret> for SecretRow {
    fn from(secret: &Secret) -> Self {
        Self {
            id: secret.id.to_string(),
            organization_id: secret.organization_id.to_string(),
            customer_organization_id: opt_text(secret.customer_organization_id),
            key: secret.key.as_str().to_owned(),
            value_ciphertext: secret.value_ciphertext.clone(),
            created_at: micros(secret.created_at),
            updated_at: micros(secret.updated_at),
            updated_by_user_account_id: opt_text(secret.updated_by_user_account_id),
        }
    }
}

impl TryFrom<SecretRow> for Secret {
    type Error = Fail;
    fn try_from(row: SecretRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            organization_id: id(&row.organization_id)?,
            customer_organization_id: opt_id(row.customer_organization_id.as_deref())?,
            key: SecretKey::parse(&row.key).map_err(corrupt)?,
            value_ciphertext: row.value_ciphertext,
            created_at: time(row.created_at)?,
            updated_at: time(row.updated_at)?,
            updated_by_user_account_id: opt_id(row.updated_by_user_account_id.as_deref())?,
        })
    }
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = lg)]
struct PayloadRow {
    deployment_id: String,
    revision_id: String,
    payload_ciphertext: Vec<u8>,
    updated_at: i64,
}

impl TryFrom<PayloadRow> for LastGoodPayload {
    type Error = Fail;
    fn try_from(row: PayloadRow) -> Result<Self, Fail> {
        Ok(Self {
            deployment_id: id(&row.deployment_id)?,
            revision_id: id(&row.revision_id)?,
            payload_ciphertext: row.payload_ciphertext,
            updated_at: time(row.updated_at)?,
        })
    }
}

#[async_trait]
impl SecretStore for SqlStore {
    async fn create_secret(&self, secret: &Secret) -> Result<(), StoreError> {
        let row = SecretRow::from(secret);
        with_write!(self, |conn| {
            diesel::insert_into(s::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn list_secrets(
        &self,
        org: OrganizationId,
        customer: Option<CustomerOrganizationId>,
    ) -> Result<Vec<Secret>, StoreError> {
        let (org, customer) = (org.to_string(), opt_text(customer));
        with_conn!(self, |conn| {
            let mut query = s::table
                .filter(s::organization_id.eq(&org))
                .select(SecretRow::as_select())
                .into_boxed();
            query = match &customer {
                Some(customer) => query.filter(s::customer_organization_id.eq(customer)),
                None => query.filter(s::customer_organization_id.is_null()),
            };
            let rows: Vec<SecretRow> = query.order((s::key.asc(), s::id.asc())).load(conn).await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn list_organization_secrets(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<Secret>, StoreError> {
        let org = org.to_string();
        with_conn!(self, |conn| {
            // NULLs (vendor-level) first on both backends.
            let rows: Vec<SecretRow> = s::table
                .filter(s::organization_id.eq(&org))
                .select(SecretRow::as_select())
                .order((
                    s::customer_organization_id.is_not_null().asc(),
                    s::customer_organization_id.asc(),
                    s::key.asc(),
                    s::id.asc(),
                ))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn get_secret(
        &self,
        org: OrganizationId,
        secret: SecretId,
    ) -> Result<Secret, StoreError> {
        let (org, secret) = (org.to_string(), secret.to_string());
        with_conn!(self, |conn| {
            let row: SecretRow = s::table
                .find(&secret)
                .filter(s::organization_id.eq(&org))
                .select(SecretRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn list_all_secrets(&self) -> Result<Vec<Secret>, StoreError> {
        with_conn!(self, |conn| {
            let rows: Vec<SecretRow> = s::table
                .select(SecretRow::as_select())
                .order(s::id.asc())
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn change_secret_value(
        &self,
        secret: &Secret,
    ) -> Result<Vec<DeploymentRevision>, StoreError> {
        let row = SecretRow::from(secret);
        let (at, by) = (secret.updated_at, secret.updated_by_user_account_id);
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let (_, referencing) =
                    secret_and_referencing_revisions!(conn, &row.organization_id, &row.id);
                let copies: Vec<DeploymentRevision> = referencing
                    .iter()
                    .map(|r| r.secret_changed_copy(RevisionId::from_uuid(Uuid::now_v7()), at, by))
                    .collect();
                diesel::update(s::table.find(&row.id))
                    .set((
                        s::value_ciphertext.eq(&row.value_ciphertext),
                        s::updated_at.eq(row.updated_at),
                        s::updated_by_user_account_id.eq(&row.updated_by_user_account_id),
                    ))
                    .execute(conn)
                    .await?;
                for copy in &copies {
                    diesel::insert_into(r::table)
                        .values(RevisionRow::from(copy))
                        .execute(conn)
                        .await?;
                }
                Ok(copies)
            })
            .await
        })
    }

    async fn update_secret(&self, secret: &Secret) -> Result<(), StoreError> {
        let row = SecretRow::from(secret);
        with_write!(self, |conn| {
            let updated = diesel::update(
                s::table
                    .find(&row.id)
                    .filter(s::organization_id.eq(&row.organization_id)),
            )
            .set((
                s::value_ciphertext.eq(&row.value_ciphertext),
                s::updated_at.eq(row.updated_at),
                s::updated_by_user_account_id.eq(&row.updated_by_user_account_id),
            ))
            .execute(conn)
            .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_secret(&self, org: OrganizationId, secret: SecretId) -> Result<(), StoreError> {
        let (org, secret) = (org.to_string(), secret.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let (_, referencing) = secret_and_referencing_revisions!(conn, &org, &secret);
                if !referencing.is_empty() {
                    return Err(Fail(StoreError::InUse("secret".to_owned())));
                }
                diesel::delete(s::table.find(&secret)).execute(conn).await?;
                Ok(())
            })
            .await
        })
    }
}

#[async_trait]
impl LastGoodPayloadStore for SqlStore {
    async fn get_last_good_payloads(
        &self,
        deployments: &[DeploymentId],
    ) -> Result<Vec<LastGoodPayload>, StoreError> {
        if deployments.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = deployments.iter().map(ToString::to_string).collect();
        with_conn!(self, |conn| {
            let rows: Vec<PayloadRow> = lg::table
                .filter(lg::deployment_id.eq_any(&keys))
                .select(PayloadRow::as_select())
                .order(lg::deployment_id.asc())
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn list_all_last_good_payloads(&self) -> Result<Vec<LastGoodPayload>, StoreError> {
        with_conn!(self, |conn| {
            let rows: Vec<PayloadRow> = lg::table
                .select(PayloadRow::as_select())
                .order(lg::deployment_id.asc())
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn put_last_good_payload(&self, payload: &LastGoodPayload) -> Result<(), StoreError> {
        let row = PayloadRow {
            deployment_id: payload.deployment_id.to_string(),
            revision_id: payload.revision_id.to_string(),
            payload_ciphertext: payload.payload_ciphertext.clone(),
            updated_at: micros(payload.updated_at),
        };
        with_write!(self, |conn| {
            let written = diesel::insert_into(lg::table)
                .values(&row)
                .on_conflict(lg::deployment_id)
                .do_update()
                .set((
                    lg::revision_id.eq(excluded(lg::revision_id)),
                    lg::payload_ciphertext.eq(excluded(lg::payload_ciphertext)),
                    lg::updated_at.eq(excluded(lg::updated_at)),
                ))
                .execute(conn)
                .await;
            match written {
                // The deployment was undeployed meanwhile: nothing to keep.
                Err(e) if is_foreign_key_violation(&e) => Ok(()),
                Err(e) => Err(Fail(classify(&e))),
                Ok(_) => Ok(()),
            }
        })
    }
}
