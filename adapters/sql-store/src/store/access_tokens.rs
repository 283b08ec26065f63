use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_domain::ids::{AccessTokenId, OrganizationId, UserAccountId};
use distr_domain::user::AccessToken;
use distr_ports::StoreError;
use distr_ports::store::AccessTokenStore;

use crate::convert::{id, micros, opt_micros, opt_time, time};
use crate::error::{Fail, corrupt, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::access_tokens;

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = access_tokens)]
struct AccessTokenRow {
    id: String,
    created_at: i64,
    user_account_id: String,
    organization_id: String,
    label: String,
    expires_at: Option<i64>,
    last_used_at: Option<i64>,
    key_hash: Vec<u8>,
    key_hint: String,
}

impl TryFrom<AccessTokenRow> for AccessToken {
    type Error = Fail;
    fn try_from(row: AccessTokenRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            created_at: time(row.created_at)?,
            user_account_id: id(&row.user_account_id)?,
            organization_id: id(&row.organization_id)?,
            label: row.label,
            expires_at: opt_time(row.expires_at)?,
            last_used_at: opt_time(row.last_used_at)?,
            key_hash: row
                .key_hash
                .try_into()
                .map_err(|_| corrupt("access token hash is not 32 bytes"))?,
            key_hint: row.key_hint,
        })
    }
}

#[async_trait]
impl AccessTokenStore for SqlStore {
    async fn create_access_token(&self, token: &AccessToken) -> Result<(), StoreError> {
        let row = AccessTokenRow {
            id: token.id.to_string(),
            created_at: micros(token.created_at),
            user_account_id: token.user_account_id.to_string(),
            organization_id: token.organization_id.to_string(),
            label: token.label.clone(),
            expires_at: opt_micros(token.expires_at),
            last_used_at: opt_micros(token.last_used_at),
            key_hash: token.key_hash.to_vec(),
            key_hint: token.key_hint.clone(),
        };
        with_write!(self, |conn| {
            diesel::insert_into(access_tokens::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn find_access_token_by_hash(
        &self,
        key_hash: &[u8; 32],
    ) -> Result<Option<AccessToken>, StoreError> {
        let hash = key_hash.to_vec();
        with_conn!(self, |conn| {
            let row: Option<AccessTokenRow> = access_tokens::table
                .filter(access_tokens::key_hash.eq(&hash))
                .select(AccessTokenRow::as_select())
                .first(conn)
                .await
                .optional()?;
            row.map(TryInto::try_into).transpose()
        })
    }

    async fn list_access_tokens(
        &self,
        org: OrganizationId,
        user: UserAccountId,
    ) -> Result<Vec<AccessToken>, StoreError> {
        let (org, user) = (org.to_string(), user.to_string());
        with_conn!(self, |conn| {
            let rows: Vec<AccessTokenRow> = access_tokens::table
                .filter(access_tokens::organization_id.eq(&org))
                .filter(access_tokens::user_account_id.eq(&user))
                .select(AccessTokenRow::as_select())
                .order((access_tokens::created_at.asc(), access_tokens::id.asc()))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn delete_access_token(
        &self,
        org: OrganizationId,
        user: UserAccountId,
        token: AccessTokenId,
    ) -> Result<(), StoreError> {
        let (org, user, token) = (org.to_string(), user.to_string(), token.to_string());
        with_write!(self, |conn| {
            let deleted = diesel::delete(
                access_tokens::table
                    .filter(access_tokens::id.eq(&token))
                    .filter(access_tokens::organization_id.eq(&org))
                    .filter(access_tokens::user_account_id.eq(&user)),
            )
            .execute(conn)
            .await?;
            not_found_if_none(deleted)
        })
    }

    async fn touch_access_token(
        &self,
        token: AccessTokenId,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let token = token.to_string();
        with_write!(self, |conn| {
            diesel::update(access_tokens::table.find(&token))
                .set(access_tokens::last_used_at.eq(Some(micros(at))))
                .execute(conn)
                .await?;
            Ok(())
        })
    }
}
