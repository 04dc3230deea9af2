//! The default mailer: each message goes to the log and to `outbound_messages`, where staff
//! read it (`GET /api/v1/backoffice/messages`). A deployment that must reach real inboxes
//! plugs an SMTP adapter into the same port.

use async_trait::async_trait;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use ports::InfraError;
use ports::mail::{Mailer, Message};

use crate::error::from_diesel;
use crate::pool::{self, PgPool};
use crate::schema::outbound_messages;

pub struct PgMailer {
    pool: PgPool,
}

impl PgMailer {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }
}

#[async_trait]
impl Mailer for PgMailer {
    async fn send(&self, message: Message) -> Result<(), InfraError> {
        let mut conn = pool::get(&self.pool).await?;
        diesel::insert_into(outbound_messages::table)
            .values((
                outbound_messages::recipient.eq(&message.recipient),
                outbound_messages::subject.eq(&message.subject),
                outbound_messages::body.eq(&message.body),
                outbound_messages::kind.eq(message.kind),
            ))
            .execute(&mut conn)
            .await
            .map_err(from_diesel)?;
        tracing::info!(
            recipient = %message.recipient,
            subject = %message.subject,
            kind = message.kind,
            body = %message.body,
            "message sent"
        );
        Ok(())
    }
}
