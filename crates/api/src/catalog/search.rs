//! Catalogue search.

use actix_web::{get, web};
use app::catalog::{Found, Listing, Priced};
use domain::catalog::search::{SearchField, SearchKey, SearchQuery};
use domain::pagination::PageRequest;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::products::ProductDto;
use crate::pagination::{Page, PageQuery};
use crate::problem::ApiError;
use crate::state::AppState;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// What to look for: words in any language. Chinese works without spaces (`三毛`,
    /// `撒哈拉`); English words match other forms (`photographs` finds `photography`).
    pub q: String,
    /// Where to look, comma-separated: `title`, `author`, `tags`, `content`. Every field
    /// when left out.
    pub fields: Option<String>,
    /// Only what this store (a code) stocks, each result with the store's offer.
    pub store: Option<String>,
}

/// A product found.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = SearchResult)]
pub struct SearchResultDto {
    pub product: ProductDto,
    /// How well it matches; higher is better, comparable within one search only.
    pub rank: f32,
    /// Where the query occurs: HTML-escaped text, the terms in `<mark>…</mark>`.
    #[schema(example = "<mark>撒哈拉</mark>的故事")]
    pub snippet: Option<String>,
}

/// A page of search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchPage {
    pub items: Vec<SearchResultDto>,
    /// How many products match in all when `total_is_exact`; else at least this many.
    pub total: i64,
    /// Whether `total` counts every match. A search ranks at most a set number of matches
    /// (500 unless configured otherwise): when more match, the results are the best of the
    /// first ones found, `total` is that number, and this is false: narrow the query (more
    /// words, or `fields`) for the best of all.
    pub total_is_exact: bool,
    pub next_cursor: Option<String>,
}

fn parse(params: SearchParams) -> Result<SearchQuery, ApiError> {
    let fields = params
        .fields
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|field| !field.is_empty())
        .map(SearchField::parse)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|reason| ApiError::bad_request(format!("`fields`: each {reason}.")))?;
    SearchQuery::parse(&params.q, &fields)
        .map_err(|reason| ApiError::bad_request(format!("`q` {reason}.")))
}

/// Search the catalogue.
///
/// Ranked: a match in the title counts most, then the author, the tags, the texts. Only
/// active products. With `store`, only what that store stocks, each with its offer. Needs no
/// login. A query matching very many products is ranked among the
/// first matches found only, with a `total` that says "at least" (see `total_is_exact`).
#[utoipa::path(
    tag = "catalog",
    params(SearchParams, PageQuery),
    security(()),
    responses((status = 200, description = "A page of results, best first.", body = SearchPage)),
)]
#[get("/search")]
pub async fn list_search_results(
    state: web::Data<AppState>,
    params: web::Query<SearchParams>,
    page: web::Query<PageQuery>,
) -> Result<web::Json<SearchPage>, ApiError> {
    let mut params = params.into_inner();
    let store = params.store.take();
    let query = parse(params)?;
    let request = page.request_keyed::<(f32, i64)>()?;
    let request = PageRequest {
        limit: request.limit,
        after: request.after.map(|(rank, id)| SearchKey { rank, id }),
    };
    let Priced { item, currency } = state
        .catalog
        .search(&query, store.as_deref(), &request)
        .await?;
    let page = Page::of_mapped(
        item.found,
        |found: &Found| (found.hit.rank, found.hit.product.id),
        |found| SearchResultDto {
            product: ProductDto::listed(
                Listing {
                    product: found.hit.product,
                    offer: found.offer,
                },
                store.as_deref(),
                &currency,
                &state.catalog,
            ),
            rank: found.hit.rank,
            snippet: found.snippet,
        },
    );
    Ok(web::Json(SearchPage {
        items: page.items,
        total: item.total,
        total_is_exact: item.total_is_exact,
        next_cursor: page.next_cursor,
    }))
}
