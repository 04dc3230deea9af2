//! `/buyer/*`: ordering, paying from the wallet, funds, receiving, cancelling, history.

use actix_web::{HttpRequest, HttpResponse, web};
use app::finance::{FinanceError, WalletInput};
use app::identity::{Authenticated, IdentityError};
use app::ordering::{Checkout, CheckoutItem, OrderingError, ShipTo};
use domain::ordering::checkout::Unavailability;
use domain::ordering::order::{OrderAction, OrderStatus};
use serde::Deserialize;
use serde_json::Value;

use super::caller::{WhenUnknown, caller};
use super::cents;
use super::orders::{order_json, transition_refused};
use super::pages::{self, Numbered};
use super::reply::{Outcome, Refusal, body, fields, known_store, respond};
use crate::state::AppState;

#[derive(Deserialize)]
struct Wanted {
    id: String,
    count: i64,
}

#[derive(Deserialize)]
struct NewOrder {
    user_id: String,
    store_id: String,
    books: Vec<Wanted>,
}

#[derive(Deserialize)]
struct Payment {
    user_id: String,
    password: String,
    order_id: String,
}

#[derive(Deserialize)]
struct Funds {
    user_id: String,
    password: String,
    add_value: i64,
}

#[derive(Deserialize)]
struct OrderMove {
    user_id: String,
    order_id: String,
}

#[derive(Deserialize)]
struct History {
    user_id: String,
    #[serde(flatten)]
    page: Numbered,
}

/// The caller, having given their password again (a wrong one is 401).
async fn confirmed(
    state: &AppState,
    req: &HttpRequest,
    user_id: &str,
    password: &str,
) -> Result<Authenticated, Refusal> {
    let caller = caller(state, req, user_id, WhenUnknown::Unauthorized).await?;
    match state
        .identity
        .confirm_password(&caller, password, "password")
        .await
    {
        Ok(()) => Ok(caller),
        Err(IdentityError::Invalid(_)) => Err(Refusal::authorization()),
        Err(error) => Err(error.into()),
    }
}

pub async fn new_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: NewOrder = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let store = &input.store_id;
        known_store(&state, store).await?;
        let mut items = Vec::with_capacity(input.books.len());
        let mut skus = Vec::with_capacity(input.books.len());
        for book in &input.books {
            let product = state
                .catalog
                .product_by_sku(&book.id)
                .await?
                .ok_or_else(|| Refusal::non_exist_book(&book.id))?;
            skus.push((product.id, book.id.as_str()));
            items.push(CheckoutItem {
                store: store.clone(),
                product_id: product.id,
                quantity: book.count,
            });
        }
        let checkout = Checkout {
            items: Some(items),
            ship_to: ShipTo::Default,
            note: String::new(),
            coupon: None,
        };
        match state.ordering.checkout(&caller.principal, checkout).await {
            Ok(orders) => {
                let number = orders.first().map(|order| order.number.clone());
                Ok(fields([(
                    "order_id",
                    Value::from(number.unwrap_or_default()),
                )]))
            }
            Err(OrderingError::Unavailable(unavailable)) => {
                let first = unavailable.first();
                let sku = first
                    .and_then(|item| skus.iter().find(|(id, _)| *id == item.product_id))
                    .map_or("", |(_, sku)| *sku);
                Err(match first.map(|item| item.reason) {
                    Some(Unavailability::Short { .. }) => Refusal::stock_level_low(sku),
                    Some(Unavailability::StoreClosed) => Refusal::non_exist_store(store),
                    _ => Refusal::non_exist_book(sku),
                })
            }
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(outcome, Some("order_id"))
}

pub async fn payment(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Payment = body(&req, payload).await?;
        let caller = confirmed(&state, &req, &input.user_id, &input.password).await?;
        let order_id = input.order_id.as_str();
        match state
            .ordering
            .pay(&caller.principal, order_id, "wallet", None)
            .await
        {
            Ok(_) => Ok(fields([])),
            Err(OrderingError::NotPayable(OrderStatus::Expired)) => Err(Refusal::expired(order_id)),
            Err(OrderingError::NotPayable(_) | OrderingError::OrderNotFound) => {
                Err(Refusal::invalid_order(order_id))
            }
            Err(OrderingError::InsufficientFunds) => Err(Refusal::not_sufficient_funds(order_id)),
            Err(OrderingError::Forbidden(_)) => Err(Refusal::authorization()),
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn add_funds(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Funds = body(&req, payload).await?;
        let caller = confirmed(&state, &req, &input.user_id, &input.password).await?;
        let principal = &caller.principal;
        let note = Some("add_funds (bookstore)".to_owned());
        let moved = match input.add_value {
            0 => return Ok(fields([])),
            more if more > 0 => {
                let input = WalletInput {
                    amount: cents::to_amount(more),
                    note,
                };
                state.finance.top_up(principal, input).await
            }
            less => {
                let input = WalletInput {
                    amount: cents::to_amount(less.checked_neg().unwrap_or(i64::MAX)),
                    note,
                };
                state.finance.withdraw(principal, input).await
            }
        };
        match moved {
            Ok(_) => Ok(fields([])),
            Err(FinanceError::InsufficientFunds { .. }) => {
                Err(Refusal::not_sufficient_funds_of_user(&input.user_id))
            }
            Err(error) => Err(error.into()),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn receive(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: OrderMove = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let order_id = input.order_id.as_str();
        state
            .ordering
            .act(&caller.principal, order_id, OrderAction::Deliver, None)
            .await
            .map_err(|error| {
                transition_refused(error, order_id, |from| match from {
                    OrderStatus::Delivered | OrderStatus::Completed => {
                        Refusal::already_received(order_id)
                    }
                    _ => Refusal::not_shippable(
                        order_id,
                        &format!("is {}, not shipped yet", from.as_str()),
                    ),
                })
            })?;
        Ok(fields([]))
    }
    .await;
    respond(outcome, None)
}

pub async fn cancel_order(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: OrderMove = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let order_id = input.order_id.as_str();
        match state
            .ordering
            .act(&caller.principal, order_id, OrderAction::Cancel, None)
            .await
        {
            Ok(order) => Ok(fields([("order", order_json(&order))])),
            Err(OrderingError::RefundNotCovered) => Err(Refusal::not_cancellable(
                order_id,
                "its store cannot refund it",
            )),
            Err(error) => Err(transition_refused(error, order_id, |from| {
                Refusal::not_cancellable(order_id, from.as_str())
            })),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn orders(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: History = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let page = pages::nth(
            input.page,
            |order: &domain::ordering::order::Order| order.id,
            |request| {
                let (ordering, principal) = (&state.ordering, &caller.principal);
                async move { ordering.my_orders(principal, None, &request).await }
            },
        )
        .await?;
        // History wants the items too: the list has them.
        let orders: Vec<Value> = page.items.iter().map(order_json).collect();
        Ok(fields([
            ("orders", Value::from(orders)),
            ("has_more", Value::from(page.has_more)),
        ]))
    }
    .await;
    respond(outcome, None)
}
