//! `/search`: the catalogue's ranked search (Chinese included), in all stores or in one.

use std::cell::Cell;

use actix_web::{HttpRequest, HttpResponse, web};
use app::catalog::{CatalogError, Found};
use domain::catalog::search::{SearchField, SearchKey, SearchQuery};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::cents;
use super::pages::{self, Numbered};
use super::reply::{Outcome, Refusal, body, fields, respond};
use crate::state::AppState;

/// The fields to search, as a list or as one comma-separated string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Fields {
    List(Vec<String>),
    Text(String),
}

#[derive(Deserialize)]
struct Search {
    keyword: String,
    #[serde(default)]
    store_id: Option<String>,
    #[serde(default)]
    fields: Option<Fields>,
    #[serde(flatten)]
    page: Numbered,
}

fn search_fields(fields: Option<Fields>) -> Result<Vec<SearchField>, Refusal> {
    let names: Vec<String> = match fields {
        None => Vec::new(),
        Some(Fields::List(names)) => names,
        Some(Fields::Text(text)) => text.split(',').map(str::to_owned).collect(),
    };
    names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
        .map(|name| SearchField::parse(name).map_err(|_| Refusal::invalid_search_field(name)))
        .collect()
}

/// A book found: the product's fields under the contract's names, the store's price and stock
/// when the search was in one store, and where the keyword occurs.
fn book_json(found: &Found) -> Value {
    let product = &found.hit.product;
    let mut book = Map::new();
    book.insert("id".to_owned(), Value::from(product.sku.as_str()));
    book.insert("title".to_owned(), Value::from(product.name.as_str()));
    for (key, value) in &product.attributes {
        book.insert(key.clone(), value.clone());
    }
    book.insert("tags".to_owned(), Value::from(product.tags.clone()));
    let price = found
        .offer
        .as_ref()
        .map_or(product.list_price, |offer| offer.price);
    book.insert("price".to_owned(), Value::from(cents::of(price)));
    if let Some(offer) = &found.offer {
        book.insert("stock_level".to_owned(), Value::from(offer.available));
    }
    book.insert("snippet".to_owned(), Value::from(found.snippet.clone()));
    Value::Object(book)
}

pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let outcome: Outcome = async {
        let input: Search = body(&req, payload).await?;
        let fields_searched = search_fields(input.fields)?;
        let query = SearchQuery::parse(&input.keyword, &fields_searched)
            .map_err(|reason| Refusal::bad_request(format!("keyword {reason}")))?;
        let store = input.store_id.as_deref().filter(|code| !code.is_empty());
        let total = Cell::new((0_i64, true));
        let page = pages::nth(
            input.page,
            |found: &Found| SearchKey {
                rank: found.hit.rank,
                id: found.hit.product.id,
            },
            |request| {
                let (query, total) = (&query, &total);
                let catalog = &state.catalog;
                async move {
                    let outcome = catalog.search(query, store, &request).await.map_err(
                        |error| match error {
                            CatalogError::StoreNotFound => {
                                Refusal::non_exist_store(store.unwrap_or_default())
                            }
                            other => other.into(),
                        },
                    )?;
                    total.set((outcome.item.total, outcome.item.total_is_exact));
                    Ok::<_, Refusal>(outcome.item.found)
                }
            },
        )
        .await?;
        if page.items.is_empty() {
            return Err(Refusal::no_result());
        }
        let books: Vec<Value> = page.items.iter().map(book_json).collect();
        Ok(fields([
            ("books", Value::from(books)),
            ("total", Value::from(total.get().0)),
            ("total_is_exact", Value::from(total.get().1)),
            ("has_more", Value::from(page.has_more)),
        ]))
    }
    .await;
    respond(outcome, None)
}
