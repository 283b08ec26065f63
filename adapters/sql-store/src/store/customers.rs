use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use distr_domain::ids::{CustomerOrganizationId, OrganizationId};
use distr_domain::organization::CustomerOrganization;
use distr_ports::StoreError;
use distr_ports::store::CustomerStore;

use crate::convert::{id, micros, name, time};
use crate::error::Fail;
use crate::open::SqlStore;
use crate::schema::customer_organizations;

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
}
