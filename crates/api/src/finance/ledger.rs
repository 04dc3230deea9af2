//! The ledger, for staff with `ledger:read`.

use actix_web::{get, web};
use app::finance::LedgerQuery;
use chrono::{DateTime, Utc};
use domain::finance::ledger::{EntryKey, LedgerEntry};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Authorized, require};
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

/// One money movement.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LedgerEntry)]
pub struct LedgerEntryDto {
    pub id: i64,
    /// `top_up`, `withdrawal`, `payment`, `payout` or `refund`.
    #[schema(example = "top_up")]
    pub kind: &'static str,
    /// `succeeded`, `pending` or `failed`; a wallet's rows are always `succeeded`.
    #[schema(example = "succeeded")]
    pub status: &'static str,
    /// A signed decimal string with two places. A row of a wallet changes its balance by this
    /// much (top-ups, refunds and payouts into it +; withdrawals and payments from it −); a
    /// row without a wallet is money through the payment provider (+ in, − out).
    #[schema(example = "-25.00")]
    pub amount: String,
    /// ISO 4217.
    #[schema(example = "CNY")]
    pub currency: String,
    /// The username of the wallet's owner; null for money through the provider.
    pub wallet: Option<String>,
    pub order_id: Option<i64>,
    pub payment_id: Option<i64>,
    /// The provider's id of the movement.
    pub provider_reference: Option<String>,
    pub note: String,
    /// Who made it happen; null for the system.
    pub actor: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<LedgerEntry> for LedgerEntryDto {
    fn from(entry: LedgerEntry) -> Self {
        Self {
            id: entry.id,
            kind: entry.kind.as_str(),
            status: entry.status.as_str(),
            amount: format!("{:.2}", entry.amount),
            currency: entry.currency,
            wallet: entry.wallet.map(|person| person.username),
            order_id: entry.order_id,
            payment_id: entry.payment_id,
            provider_reference: entry.provider_reference,
            note: entry.note,
            actor: entry.actor.map(|person| person.username),
            created_at: entry.created_at,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerFilterQuery {
    /// `top_up`, `withdrawal`, `payment`, `payout` or `refund`.
    pub kind: Option<String>,
    /// `succeeded`, `pending` or `failed`.
    pub status: Option<String>,
    /// Rows of this person's wallet (a username).
    pub user: Option<String>,
    pub order_id: Option<i64>,
    /// Rows made at or after this time (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Rows made before this time (RFC 3339).
    pub to: Option<DateTime<Utc>>,
}

/// List the ledger's rows, newest first.
#[utoipa::path(
    tag = "finance",
    params(PageQuery, LedgerFilterQuery),
    security(("bearer" = ["ledger:read"])),
    responses(
        (status = 200, description = "A page of rows.", body = Page<LedgerEntryDto>),
        (status = 422, description = "`validation_failed`: an unknown `kind` or `status`, or \
            `to` not after `from`.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[get("/transactions")]
pub async fn list_financial_transactions(
    _: Authorized<require::LedgerRead>,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
    filter: web::Query<LedgerFilterQuery>,
) -> Result<web::Json<Page<LedgerEntryDto>>, ApiError> {
    let page = page.request_keyed::<EntryKey>()?;
    let LedgerFilterQuery {
        kind,
        status,
        user,
        order_id,
        from,
        to,
    } = filter.into_inner();
    let query = LedgerQuery {
        kind,
        status,
        user,
        order_id,
        from,
        to,
    };
    let entries = state.finance.ledger(query, &page).await?;
    Ok(web::Json(Page::of(entries, |entry| entry.key())))
}
