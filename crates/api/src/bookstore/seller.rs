//! `/seller/*`: opening a store, listing books and stocking them, shipping orders.

use actix_web::{HttpRequest, HttpResponse, web};
use app::catalog::{ImageUpload, ProductInput};
use app::ordering::OrderingError;
use app::stores::{ListingInput, StockInput, StoreInput, StoresError};
use base64::Engine as _;
use domain::identity::user::Principal;
use domain::ordering::order::{OrderAction, OrderStatus};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::caller::{WhenUnknown, caller};
use super::cents;
use super::orders::transition_refused;
use super::reply::{Outcome, Refusal, body, fields, known_store, refused_store, respond};
use crate::state::AppState;

#[derive(Deserialize)]
struct NewStore {
    user_id: String,
    store_id: String,
}

/// One book as the clients describe it. Any field but `id` and `title` may be missing or null.
#[derive(Deserialize)]
struct BookInfo {
    id: String,
    title: String,
    #[serde(default)]
    price: Option<i64>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    pictures: Option<Vec<String>>,
    /// The rest: author, publisher, isbn, pages ... (a book product's attributes).
    #[serde(flatten)]
    attributes: Map<String, Value>,
}

#[derive(Deserialize)]
struct NewBook {
    user_id: String,
    store_id: String,
    book_info: BookInfo,
    stock_level: i64,
}

#[derive(Deserialize)]
struct StockLevel {
    user_id: String,
    store_id: String,
    book_id: String,
    add_stock_level: i64,
}

#[derive(Deserialize)]
struct Shipping {
    user_id: String,
    store_id: String,
    order_id: String,
}

/// The book as a product of kind `book`, its pictures as images.
fn listing(book: BookInfo, stock_level: i64) -> Result<ListingInput, Refusal> {
    let price = cents::to_amount(book.price.unwrap_or(0));
    let mut attributes = book.attributes;
    // Some clients send the year (or the ISBN) as a number.
    for key in ["pub_year", "isbn"] {
        if let Some(Value::Number(n)) = attributes.get(key) {
            let text = n.to_string();
            attributes.insert(key.to_owned(), Value::from(text));
        }
    }
    let images = book
        .pictures
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, picture)| {
            base64::engine::general_purpose::STANDARD
                .decode(picture.trim())
                .map(|bytes| ImageUpload {
                    bytes,
                    declared_type: None,
                    alt_text: None,
                })
                .map_err(|_| {
                    Refusal::bad_request(format!("book_info.pictures[{index}] is not base64"))
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ListingInput {
        product: ProductInput {
            sku: book.id,
            kind: Some("book".to_owned()),
            name: book.title,
            list_price: price,
            attributes: Some(attributes),
            tags: book.tags,
            ..ProductInput::default()
        },
        images,
        price,
        quantity: stock_level,
    })
}

pub async fn create_store(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: NewStore = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let store = StoreInput {
            code: input.store_id.clone(),
            name: input.store_id.clone(),
            ..StoreInput::default()
        };
        match state.stores.open_store(&caller.principal, store).await {
            Ok(_) => Ok(fields([])),
            Err(StoresError::CodeTaken) => Err(Refusal::exist_store(&input.store_id)),
            Err(error) => Err(refused_store(error, &input.store_id)),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn add_book(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: NewBook = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        let book_id = input.book_info.id.clone();
        let listing = listing(input.book_info, input.stock_level)?;
        match state
            .stores
            .list_product(&caller.principal, &input.store_id, listing)
            .await
        {
            Ok(_) => Ok(fields([])),
            Err(StoresError::AlreadyListed) => Err(Refusal::exist_book(&book_id)),
            Err(error) => Err(refused_store(error, &input.store_id)),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn add_stock_level(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: StockLevel = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        known_store(&state, &input.store_id).await?;
        let product = state
            .catalog
            .product_by_sku(&input.book_id)
            .await?
            .ok_or_else(|| Refusal::non_exist_book(&input.book_id))?;
        let (principal, code) = (&caller.principal, input.store_id.as_str());
        // Stock received for a product the store does not list would list it: the contract
        // adds stock only to a book the store has.
        let listed = state
            .stores
            .inventory_item(principal, code, product.id)
            .await;
        let changed = match (listed, input.add_stock_level) {
            (Err(error), _) => Err(error),
            (Ok(_), 0) => Ok(()),
            (Ok(_), more) if more > 0 => state
                .stores
                .change_stock(
                    principal,
                    code,
                    product.id,
                    StockInput::Receive {
                        quantity: more,
                        note: None,
                    },
                )
                .await
                .map(drop),
            (Ok(_), fewer) => state
                .stores
                .change_stock(
                    principal,
                    code,
                    product.id,
                    StockInput::Adjust {
                        delta: fewer,
                        reason: "add_stock_level below zero (bookstore)".to_owned(),
                    },
                )
                .await
                .map(drop),
        };
        match changed {
            Ok(()) => Ok(fields([])),
            Err(StoresError::NotListed | StoresError::ProductNotFound) => {
                Err(Refusal::non_exist_book(&input.book_id))
            }
            Err(error) => Err(refused_store(error, code)),
        }
    }
    .await;
    respond(outcome, None)
}

pub async fn ship(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Shipping = body(&req, payload).await?;
        let caller = caller(&state, &req, &input.user_id, WhenUnknown::NonExistUser).await?;
        known_store(&state, &input.store_id).await?;
        ship_order(&state, &caller.principal, &input.store_id, &input.order_id).await?;
        Ok(fields([]))
    }
    .await;
    respond(outcome, None)
}

async fn ship_order(
    state: &AppState,
    caller: &Principal,
    store_id: &str,
    order_id: &str,
) -> Result<(), Refusal> {
    let order = match state.ordering.order(caller, order_id).await {
        Ok(detail) => detail.order,
        Err(OrderingError::OrderNotFound) => return Err(Refusal::invalid_order(order_id)),
        Err(error) => return Err(error.into()),
    };
    if order.store.name != store_id {
        return Err(Refusal::not_shippable(
            order_id,
            &format!("is not from store {store_id}"),
        ));
    }
    state
        .ordering
        .act(caller, order_id, OrderAction::Ship, None)
        .await
        .map_err(|error| {
            transition_refused(error, order_id, |from| match from {
                OrderStatus::Shipped | OrderStatus::Delivered | OrderStatus::Completed => {
                    Refusal::already_shipped(order_id)
                }
                _ => Refusal::not_shippable(order_id, &format!("is {}, not paid", from.as_str())),
            })
        })?;
    Ok(())
}
