//! Searching the catalogue.

use domain::catalog::search::{SearchHit, SearchKey, SearchQuery};
use domain::pagination::{Page, PageRequest};

use super::{Catalog, CatalogError, Priced};

/// How many characters a snippet holds, about.
const SNIPPET_WIDTH: usize = 120;

/// A product found, with a snippet of where the query occurs in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub hit: SearchHit,
    /// HTML-escaped text with the query's terms in `<mark>`; `None` when the match is only in
    /// a stemmed form that does not occur as typed.
    pub snippet: Option<String>,
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
    /// The active products that match `query`, best first.
    pub async fn search(
        &self,
        query: &SearchQuery,
        page: &PageRequest<SearchKey>,
    ) -> Result<Priced<SearchOutcome>, CatalogError> {
        let results = self.ports.products.search(query, page).await?;
        let found = results.hits.map(|hit| Found {
            snippet: query.product_snippet(&hit.product, SNIPPET_WIDTH),
            hit,
        });
        self.priced(SearchOutcome {
            found,
            total: results.total,
            total_is_exact: results.total_is_exact,
        })
        .await
    }
}
