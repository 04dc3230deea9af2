//! Searching the catalogue.

use domain::catalog::product::ProductId;
use domain::catalog::search::{SearchHit, SearchKey, SearchQuery, SearchResults};
use domain::pagination::{Page, PageRequest};
use domain::stores::inventory::Offer;

use super::products::{StoreScope, WithOffer};
use super::{Catalog, CatalogError, Priced};
use crate::cache::digest;

/// How many characters a snippet holds, about.
const SNIPPET_WIDTH: usize = 120;

/// A product found, with a snippet of where the query occurs in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub hit: SearchHit,
    /// HTML-escaped text with the query's terms in `<mark>`; `None` when the match is only in
    /// a stemmed form that does not occur as typed.
    pub snippet: Option<String>,
    /// In a search scoped to a store: what it offers of the product.
    pub offer: Option<Offer>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchOutcome {
    pub found: Page<Found>,
    /// How many active products match in all: exactly when `total_is_exact`, else at least
    /// this many (more match than a search ranks).
    pub total: i64,
    pub total_is_exact: bool,
}

impl Catalog {
    /// The active products that match `query`, best first; scoped to a store (a code), those
    /// it stocks, each with its offer.
    pub async fn search(
        &self,
        query: &SearchQuery,
        scope: Option<&str>,
        page: &PageRequest<SearchKey>,
    ) -> Result<Priced<SearchOutcome>, CatalogError> {
        let (results, currency, store) = match self.scope(scope).await? {
            StoreScope::Everywhere => {
                let key = format!("catalog:search:{}", digest(&format!("{query:?}|{page:?}")));
                let load = async { Ok(self.ports.products.search(query, None, page).await?) };
                let Priced { item, currency } = self.cached(&key, load).await?;
                (item, currency, None)
            }
            StoreScope::Closed => {
                let nothing = SearchResults {
                    hits: Page {
                        items: Vec::new(),
                        has_more: false,
                    },
                    total: 0,
                    total_is_exact: true,
                };
                let Priced { item, currency } = self.priced(nothing).await?;
                (item, currency, None)
            }
            StoreScope::Store(store) => {
                let results = self.ports.products.search(query, Some(store), page).await?;
                let Priced { item, currency } = self.priced(results).await?;
                (item, currency, Some(store))
            }
        };
        let found = results.hits.map(|hit| Found {
            snippet: query.product_snippet(&hit.product, SNIPPET_WIDTH),
            hit,
            offer: None,
        });
        let found = match store {
            Some(store) => self.with_offers(store, found).await?,
            None => found,
        };
        Ok(Priced {
            item: SearchOutcome {
                found,
                total: results.total,
                total_is_exact: results.total_is_exact,
            },
            currency,
        })
    }
}

impl WithOffer for Found {
    type Output = Found;

    fn product_id(&self) -> ProductId {
        self.hit.product.id
    }

    fn with_offer(self, offer: Option<Offer>) -> Found {
        Found { offer, ..self }
    }
}
