//! The shape of every list: `{"items": [...], "next_cursor": "..."}`. A `null` cursor means the
//! list is complete; otherwise pass it back as `?cursor=` for the next page.
//!
//! A cursor is the key of the last item of a page as JSON (an id, or a sort value and an id),
//! base64url-encoded behind a version tag, so clients treat it as opaque and the encoding can
//! change without breaking them.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::pagination::{DEFAULT_LIMIT, MAX_LIMIT, PageRequest};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::problem::ApiError;

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// A list that is always returned whole (a small, fixed set).
    pub fn complete(items: Vec<T>) -> Self {
        Self {
            items,
            next_cursor: None,
        }
    }

    /// One page of a keyset-paginated list; `key` gives the key of an item.
    pub fn of<U, K: Serialize>(page: domain::pagination::Page<U>, key: impl Fn(&U) -> K) -> Self
    where
        T: From<U>,
    {
        Self::of_mapped(page, key, T::from)
    }

    /// Like [`Page::of`], making each item with `item`.
    pub fn of_mapped<U, K: Serialize>(
        page: domain::pagination::Page<U>,
        key: impl Fn(&U) -> K,
        item: impl FnMut(U) -> T,
    ) -> Self {
        let next_cursor = page
            .has_more
            .then(|| page.items.last().map(|last| encode(&key(last))))
            .flatten();
        Self {
            items: page.items.into_iter().map(item).collect(),
            next_cursor,
        }
    }
}

/// `?limit=&cursor=`, common to every paginated list.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; absent for the first page.
    pub cursor: Option<String>,
}

impl PageQuery {
    /// The page asked for, of a list keyed by id.
    pub fn request(&self) -> Result<PageRequest<i64>, ApiError> {
        self.request_keyed()
    }

    /// The page asked for, of a list keyed by `K`.
    pub fn request_keyed<K: DeserializeOwned>(&self) -> Result<PageRequest<K>, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_LIMIT);
        if !(1..=MAX_LIMIT).contains(&limit) {
            return Err(ApiError::bad_request(format!(
                "`limit` must be between 1 and {MAX_LIMIT}."
            )));
        }
        let after = self.cursor.as_deref().map(decode).transpose()?;
        Ok(PageRequest { limit, after })
    }
}

const VERSION: &str = "v1:";

fn encode(key: &impl Serialize) -> String {
    let json = serde_json::to_string(key).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(format!("{VERSION}{json}"))
}

fn decode<K: DeserializeOwned>(cursor: &str) -> Result<K, ApiError> {
    URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| serde_json::from_str(text.strip_prefix(VERSION)?).ok())
        .ok_or_else(|| {
            ApiError::bad_request(
                "`cursor` is not one this API gave out; start from the first page.",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        for key in [0, 1, 42, i64::MAX, -7] {
            assert_eq!(decode::<i64>(&encode(&key)).unwrap(), key);
        }
        let pair = ("29.90".to_owned(), 7_i64);
        assert_eq!(decode::<(String, i64)>(&encode(&pair)).unwrap(), pair);
        assert!(decode::<i64>("not a cursor").is_err());
        assert!(decode::<i64>(&URL_SAFE_NO_PAD.encode("v2:5")).is_err());
        assert!(
            decode::<i64>(&encode(&pair)).is_err(),
            "a key of another shape"
        );
    }

    #[test]
    fn limits_are_bounded() {
        let query = |limit| PageQuery {
            limit,
            cursor: None,
        };
        assert_eq!(query(None).request().unwrap().limit, DEFAULT_LIMIT);
        assert_eq!(query(Some(200)).request().unwrap().limit, 200);
        assert!(query(Some(0)).request().is_err());
        assert!(query(Some(201)).request().is_err());
    }

    #[test]
    fn the_next_cursor_points_after_the_last_item_only_when_more_follow() {
        let more = domain::pagination::Page {
            items: vec![3_i64, 9],
            has_more: true,
        };
        let page: Page<i64> = Page::of(more, |k| *k);
        assert_eq!(
            decode::<i64>(page.next_cursor.as_deref().unwrap()).unwrap(),
            9
        );
        let last = domain::pagination::Page {
            items: vec![3_i64],
            has_more: false,
        };
        assert_eq!(Page::<i64>::of(last, |k| *k).next_cursor, None);
    }
}
