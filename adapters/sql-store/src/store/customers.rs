use async_trait::async_trait;
use diesel::dsl::count_star;
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;
use distr_ports::StoreError;
use distr_ports::store::{CustomerCounts, CustomerStore};

use crate::convert::{id, micros, name, time};
use crate::error::{Fail, not_found_if_none};
use crate::open::SqlStore;
use crate::schema::{access_tokens, customer_organizations, deployment_targets, memberships};

/// The count of `customer` in grouped `(customer, count)` rows.
fn count_of(rows: &[(Option<String>, i64)], customer: &str) -> u64 {
    rows.iter()
        .find(|(c, _)| c.as_deref() == Some(customer))
        .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0))
}

#[derive(Queryable, Selectable, Insertable)]
#[diesel(table_name = customer_organizations)]
struct CustomerRow {
    id: String,
    organization_id: String,
    created_at: i64,
    name: String,
}

impl TryFrom<CustomerRow> for CustomerOrganization {
    type Error = Fail;
    fn try_from(row: CustomerRow) -> Result<Self, Fail> {
        Ok(Self {
            id: id(&row.id)?,
            organization_id: id(&row.organization_id)?,
            created_at: time(row.created_at)?,
            name: name(&row.name)?,
        })
    }
}

#[async_trait]
impl CustomerStore for SqlStore {
    async fn create_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError> {
        let row = CustomerRow {
            id: customer.id.to_string(),
            organization_id: customer.organization_id.to_string(),
            created_at: micros(customer.created_at),
            name: customer.name.as_str().to_owned(),
        };
        with_write!(self, |conn| {
            diesel::insert_into(customer_organizations::table)
                .values(&row)
                .execute(conn)
                .await?;
            Ok(())
        })
    }

    async fn get_customer(
        &self,
        org: OrganizationId,
        customer: CustomerOrganizationId,
    ) -> Result<CustomerOrganization, StoreError> {
        let (org, customer) = (org.to_string(), customer.to_string());
        with_conn!(self, |conn| {
            let row: CustomerRow = customer_organizations::table
                .find(&customer)
                .filter(customer_organizations::organization_id.eq(&org))
                .select(CustomerRow::as_select())
                .first(conn)
                .await?;
            row.try_into()
        })
    }

    async fn list_customers(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<CustomerOrganization>, StoreError> {
        let org = org.to_string();
        with_conn!(self, |conn| {
            let rows: Vec<CustomerRow> = customer_organizations::table
                .filter(customer_organizations::organization_id.eq(&org))
                .select(CustomerRow::as_select())
                .order((
                    customer_organizations::name.asc(),
                    customer_organizations::id.asc(),
                ))
                .load(conn)
                .await?;
            rows.into_iter().map(TryInto::try_into).collect()
        })
    }

    async fn customer_counts(
        &self,
        org: OrganizationId,
    ) -> Result<Vec<CustomerCounts>, StoreError> {
        let org = org.to_string();
        with_conn!(self, |conn| {
            // Three statements whatever the number of customers.
            let customers: Vec<String> = customer_organizations::table
                .filter(customer_organizations::organization_id.eq(&org))
                .select(customer_organizations::id)
                .order((
                    customer_organizations::name.asc(),
                    customer_organizations::id.asc(),
                ))
                .load(conn)
                .await?;
            let users: Vec<(Option<String>, i64)> = memberships::table
                .filter(memberships::organization_id.eq(&org))
                .filter(memberships::customer_organization_id.is_not_null())
                .group_by(memberships::customer_organization_id)
                .select((memberships::customer_organization_id, count_star()))
                .load(conn)
                .await?;
            let targets: Vec<(Option<String>, i64)> = deployment_targets::table
                .filter(deployment_targets::organization_id.eq(&org))
                .filter(deployment_targets::customer_organization_id.is_not_null())
                .group_by(deployment_targets::customer_organization_id)
                .select((deployment_targets::customer_organization_id, count_star()))
                .load(conn)
                .await?;
            customers
                .iter()
                .map(|customer| {
                    Ok(CustomerCounts {
                        customer_organization_id: id(customer)?,
                        users: count_of(&users, customer),
                        deployment_targets: count_of(&targets, customer),
                    })
                })
                .collect()
        })
    }

    async fn update_customer(&self, customer: &CustomerOrganization) -> Result<(), StoreError> {
        let (key, org) = (
            customer.id.to_string(),
            customer.organization_id.to_string(),
        );
        let name = customer.name.as_str().to_owned();
        with_write!(self, |conn| {
            let updated = diesel::update(
                customer_organizations::table
                    .find(&key)
                    .filter(customer_organizations::organization_id.eq(&org)),
            )
            .set(customer_organizations::name.eq(&name))
            .execute(conn)
            .await?;
            not_found_if_none(updated)
        })
    }

    async fn delete_customer(
        &self,
        org: OrganizationId,
        customer: CustomerOrganizationId,
    ) -> Result<(), StoreError> {
        let (org, customer) = (org.to_string(), customer.to_string());
        with_write!(self, |conn| {
            conn.transaction::<_, Fail, _>(async |conn| {
                let known: i64 = customer_organizations::table
                    .find(&customer)
                    .filter(customer_organizations::organization_id.eq(&org))
                    .count()
                    .get_result(conn)
                    .await?;
                if known == 0 {
                    return Err(Fail(StoreError::NotFound));
                }
                let owned: i64 = deployment_targets::table
                    .filter(deployment_targets::customer_organization_id.eq(&customer))
                    .count()
                    .get_result(conn)
                    .await?;
                if owned > 0 {
                    return Err(Fail(StoreError::InUse("deployment targets".to_owned())));
                }
                let members = memberships::table
                    .filter(memberships::organization_id.eq(&org))
                    .filter(memberships::customer_organization_id.eq(&customer))
                    .select(memberships::user_account_id);
                diesel::delete(
                    access_tokens::table
                        .filter(access_tokens::organization_id.eq(&org))
                        .filter(access_tokens::user_account_id.eq_any(members)),
                )
                .execute(conn)
                .await?;
                // Memberships and secrets go through ON DELETE CASCADE.
                diesel::delete(customer_organizations::table.find(&customer))
                    .execute(conn)
                    .await?;
                Ok(())
            })
            .await
        })
    }
}
