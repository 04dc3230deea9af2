//! The signed-in person's wallet: balance, top-ups, withdrawals, statement.

use actix_web::{HttpResponse, get, post, web};
use app::catalog::Priced;
use app::finance::WalletInput;
use domain::finance::ledger::EntryKey;
use ports::finance::Posted;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::ledger::LedgerEntryDto;
use crate::auth::Caller;
use crate::extract::Json;
use crate::money::MoneyDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

/// A person's wallet.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Wallet)]
pub struct WalletDto {
    /// What the wallet holds: the sum of its ledger rows, never below zero.
    pub balance: MoneyDto,
}

/// A top-up or withdrawal made: its ledger row and the balance after it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = WalletChange)]
pub struct WalletChangeDto {
    pub entry: LedgerEntryDto,
    pub balance: MoneyDto,
}

impl From<Priced<Posted>> for WalletChangeDto {
    fn from(priced: Priced<Posted>) -> Self {
        let Priced { item, currency } = priced;
        Self {
            entry: item.entry.into(),
            balance: MoneyDto::new(item.balance, &currency),
        }
    }
}

/// Money into or out of the wallet.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalletOperationRequest {
    /// A decimal string: more than zero, at most two places, at most 100000.00.
    #[schema(value_type = String, example = "200.00")]
    pub amount: Decimal,
    #[schema(example = "Cash at the front desk", max_length = 500)]
    pub note: Option<String>,
}

impl From<WalletOperationRequest> for WalletInput {
    fn from(body: WalletOperationRequest) -> Self {
        Self {
            amount: body.amount,
            note: body.note,
        }
    }
}

/// Show my wallet's balance.
///
/// A person who never had money in it has a balance of zero.
#[utoipa::path(
    tag = "finance",
    security(("bearer" = [])),
    responses((status = 200, description = "The wallet.", body = WalletDto)),
)]
#[get("")]
pub async fn get_wallet(
    Caller(caller): Caller,
    state: web::Data<AppState>,
) -> Result<web::Json<WalletDto>, ApiError> {
    let Priced { item, currency } = state.finance.wallet(&caller.principal).await?;
    Ok(web::Json(WalletDto {
        balance: MoneyDto::new(item, &currency),
    }))
}

/// Top up my wallet.
///
/// The amount is credited at once and written to the ledger as a `top_up` row. (A top-up paid
/// through the payment provider is not offered yet.)
#[utoipa::path(
    tag = "finance",
    params(crate::idempotency::IdempotencyKey),
    request_body = WalletOperationRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The ledger row and the balance after it.",
            body = WalletChangeDto),
        (status = 409, description = "`conflict`: the balance would exceed the largest one a \
            wallet holds.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/top-ups", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn create_wallet_top_up(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<WalletOperationRequest>,
) -> Result<HttpResponse, ApiError> {
    let posted = state.finance.top_up(&caller.principal, body.into()).await?;
    Ok(HttpResponse::Created().json(WalletChangeDto::from(posted)))
}

/// Withdraw from my wallet.
///
/// The amount is debited and written to the ledger as a `withdrawal` row; a balance lower than
/// the amount changes nothing.
#[utoipa::path(
    tag = "finance",
    params(crate::idempotency::IdempotencyKey),
    request_body = WalletOperationRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The ledger row and the balance after it.",
            body = WalletChangeDto),
        (status = 409, description = "`insufficient_funds`: the wallet holds less than the \
            amount (its `balance` is in the problem); nothing changed.",
            body = crate::problem::Problem, content_type = "application/problem+json"),
    ),
)]
#[post("/withdrawals", wrap = "crate::idempotency::Idempotent::new()")]
pub async fn create_wallet_withdrawal(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    Json(body): Json<WalletOperationRequest>,
) -> Result<HttpResponse, ApiError> {
    let posted = state
        .finance
        .withdraw(&caller.principal, body.into())
        .await?;
    Ok(HttpResponse::Created().json(WalletChangeDto::from(posted)))
}

/// List my wallet's ledger rows (its statement), newest first.
///
/// The balance is the sum of every row's `amount`.
#[utoipa::path(
    tag = "finance",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A page of the wallet's rows.", body = Page<LedgerEntryDto>),
    ),
)]
#[get("/transactions")]
pub async fn list_wallet_transactions(
    Caller(caller): Caller,
    state: web::Data<AppState>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<Page<LedgerEntryDto>>, ApiError> {
    let page = page.request_keyed::<EntryKey>()?;
    let entries = state.finance.statement(&caller.principal, &page).await?;
    Ok(web::Json(Page::of(entries, |entry| entry.key())))
}
