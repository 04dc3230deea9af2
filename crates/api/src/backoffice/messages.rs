use actix_web::{get, web};
use chrono::{DateTime, Utc};
use domain::backoffice::messages::SentMessage;
use ports::backoffice::MessageFilter;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Authorized, require};
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

/// A message sent to a person, such as a password reset.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SentMessage)]
pub struct SentMessageDto {
    pub id: i64,
    /// The email address it went to.
    pub recipient: String,
    pub subject: String,
    pub body: String,
    /// What it is about, such as `password_reset`.
    pub kind: String,
    pub created_at: DateTime<Utc>,
}

impl From<SentMessage> for SentMessageDto {
    fn from(message: SentMessage) -> Self {
        Self {
            id: message.id,
            recipient: message.recipient,
            subject: message.subject,
            body: message.body,
            kind: message.kind,
            created_at: message.created_at,
        }
    }
}

// `utoipa::IntoParams` by its path: its expansion names it so, and an import would make
// that an unnecessary qualification.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Only messages to this address (exactly as sent).
    pub recipient: Option<String>,
    /// Only messages of this kind, such as `password_reset`.
    pub kind: Option<String>,
}

/// List the messages sent to people, newest first.
///
/// The default mailer delivers by writing here (and to the log): staff read password reset
/// messages to help a customer who cannot receive email.
#[utoipa::path(
    tag = "backoffice",
    params(PageQuery, MessageQuery),
    security(("bearer" = ["messages:read"])),
    responses((status = 200, description = "A page of messages.", body = Page<SentMessageDto>)),
)]
#[get("/messages")]
pub async fn list_messages(
    _: Authorized<require::MessagesRead>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    query: web::Query<MessageQuery>,
) -> Result<web::Json<Page<SentMessageDto>>, ApiError> {
    let request = page.request()?;
    let query = query.into_inner();
    let filter = MessageFilter {
        recipient: query.recipient,
        kind: query.kind,
    };
    let messages = state.messages.list(&request, &filter).await?;
    Ok(web::Json(Page::of(messages, |m: &SentMessage| m.id)))
}
