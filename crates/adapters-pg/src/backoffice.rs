use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::RunQueryDsl;
use domain::backoffice::messages::SentMessage;
use domain::backoffice::settings::StoredSetting;
use domain::pagination::{Page, PageRequest};
use ports::InfraError;
use ports::backoffice::{MessageFilter, SentMessages, SettingsRepository};

use crate::error::from_diesel;
use crate::pool::{self, PgPool};
use crate::schema::{outbound_messages, system_settings};

pub struct PgSettingsRepository {
    pool: PgPool,
}

impl PgSettingsRepository {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = system_settings, check_for_backend(diesel::pg::Pg))]
struct SettingRow {
    setting_name: String,
    setting_value: String,
    updated_at: DateTime<Utc>,
}

impl From<SettingRow> for StoredSetting {
    fn from(row: SettingRow) -> Self {
        Self {
            name: row.setting_name,
            value: row.setting_value,
            updated_at: row.updated_at,
        }
    }
}

#[async_trait]
impl SettingsRepository for PgSettingsRepository {
    async fn list(&self) -> Result<Vec<StoredSetting>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let rows = system_settings::table
            .select(SettingRow::as_select())
            .order(system_settings::setting_name)
            .load(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn find(&self, name: &str) -> Result<Option<StoredSetting>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = system_settings::table
            .filter(system_settings::setting_name.eq(name))
            .select(SettingRow::as_select())
            .first(&mut conn)
            .await
            .optional()
            .map_err(from_diesel)?;
        Ok(row.map(Into::into))
    }

    async fn store(&self, name: &str, value: &str) -> Result<StoredSetting, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let row = diesel::insert_into(system_settings::table)
            .values((
                system_settings::setting_name.eq(name),
                system_settings::setting_value.eq(value),
            ))
            .on_conflict(system_settings::setting_name)
            .do_update()
            .set(system_settings::setting_value.eq(excluded(system_settings::setting_value)))
            .returning(SettingRow::as_returning())
            .get_result(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(row.into())
    }

    async fn remove(&self, name: &str) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::delete(system_settings::table.filter(system_settings::setting_name.eq(name)))
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        Ok(())
    }
}

pub struct PgSentMessages {
    pool: PgPool,
}

impl PgSentMessages {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = outbound_messages, check_for_backend(diesel::pg::Pg))]
struct MessageRow {
    id: i64,
    recipient: String,
    subject: String,
    body: String,
    kind: String,
    created_at: DateTime<Utc>,
}

#[async_trait]
impl SentMessages for PgSentMessages {
    async fn list(
        &self,
        page: &PageRequest<i64>,
        filter: &MessageFilter,
    ) -> Result<Page<SentMessage>, InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        let mut query = outbound_messages::table
            .select(MessageRow::as_select())
            .order(outbound_messages::id.desc())
            .limit(page.fetch())
            .into_boxed();
        if let Some(before) = page.after {
            query = query.filter(outbound_messages::id.lt(before));
        }
        if let Some(recipient) = &filter.recipient {
            query = query.filter(outbound_messages::recipient.eq(recipient.clone()));
        }
        if let Some(kind) = &filter.kind {
            query = query.filter(outbound_messages::kind.eq(kind.clone()));
        }
        let rows = query.load(&mut conn).await.map_err(from_diesel)?;
        let messages = rows
            .into_iter()
            .map(|row| SentMessage {
                id: row.id,
                recipient: row.recipient,
                subject: row.subject,
                body: row.body,
                kind: row.kind,
                created_at: row.created_at,
            })
            .collect();
        Ok(Page::from_rows(messages, page))
    }
}
