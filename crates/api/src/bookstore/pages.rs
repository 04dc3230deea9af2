//! The contract's lists are numbered pages (`page`, `page_size`); the use cases page by key.
//! Page `n` is found by walking the keyed pages up to it, which is cheap for the first pages
//! a person reads, and bounded: no page may start beyond [`MAX_OFFSET`] items.

use std::future::Future;

use domain::pagination::{MAX_LIMIT, Page, PageRequest};
use serde::Deserialize;

use super::reply::Refusal;

/// How far into a list a page may start.
pub const MAX_OFFSET: u64 = 10_000;
/// The largest page.
pub const MAX_PAGE_SIZE: u32 = 100;
const DEFAULT_PAGE_SIZE: u32 = 20;

/// A numbered page, counted from 1, as asked for.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct Numbered {
    #[serde(default = "first")]
    pub page: i64,
    #[serde(default = "default_size")]
    pub page_size: i64,
}

fn first() -> i64 {
    1
}

fn default_size() -> i64 {
    i64::from(DEFAULT_PAGE_SIZE)
}

impl Numbered {
    /// The page's size, and how many items come before it.
    fn checked(self) -> Result<(u32, u64), Refusal> {
        let size = u32::try_from(self.page_size)
            .ok()
            .filter(|size| (1..=MAX_PAGE_SIZE).contains(size))
            .ok_or_else(|| {
                Refusal::bad_request(format!("page_size must be 1 to {MAX_PAGE_SIZE}"))
            })?;
        let skip = u64::try_from(self.page - 1)
            .ok()
            .map(|before| before * u64::from(size))
            .filter(|skip| *skip <= MAX_OFFSET)
            .ok_or_else(|| {
                Refusal::bad_request(format!(
                    "page counts from 1, and a page may start at most {MAX_OFFSET} items in"
                ))
            })?;
        Ok((size, skip))
    }
}

/// The numbered page of a keyed list: its items, and whether more follow.
pub async fn nth<K, T, E, F, Fut>(
    numbered: Numbered,
    key: impl Fn(&T) -> K,
    mut fetch: F,
) -> Result<Page<T>, Refusal>
where
    F: FnMut(PageRequest<K>) -> Fut,
    Fut: Future<Output = Result<Page<T>, E>>,
    Refusal: From<E>,
{
    let (size, mut skip) = numbered.checked()?;
    let mut after = None;
    while skip > 0 {
        let limit = u32::try_from(skip.min(u64::from(MAX_LIMIT))).unwrap_or(MAX_LIMIT);
        let passed = fetch(PageRequest { limit, after }).await?;
        skip -= passed.items.len() as u64;
        match passed.items.last() {
            Some(last) if passed.has_more => after = Some(key(last)),
            _ => {
                return Ok(Page {
                    items: Vec::new(),
                    has_more: false,
                });
            }
        }
    }
    Ok(fetch(PageRequest { limit: size, after }).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numbers 1..=total, keyed by themselves.
    async fn numbers(total: u32, numbered: Numbered, fetches: &mut u32) -> Page<u32> {
        nth(
            numbered,
            |n| *n,
            |request: PageRequest<u32>| {
                *fetches += 1;
                let start = request.after.unwrap_or(0);
                let rows: Vec<u32> = (start + 1..=total).take(request.fetch() as usize).collect();
                std::future::ready(Ok::<_, Refusal>(Page::from_rows(rows, &request)))
            },
        )
        .await
        .unwrap()
    }

    fn page(page: i64, page_size: i64) -> Numbered {
        Numbered { page, page_size }
    }

    #[actix_web::test]
    async fn a_numbered_page_is_the_items_after_the_pages_before_it() {
        let mut fetches = 0;
        let third = numbers(25, page(3, 10), &mut fetches).await;
        assert_eq!(third.items, (21..=25).collect::<Vec<_>>());
        assert!(!third.has_more);
        let second = numbers(25, page(2, 10), &mut fetches).await;
        assert_eq!(second.items, (11..=20).collect::<Vec<_>>());
        assert!(second.has_more);
        assert!(
            numbers(20, page(3, 10), &mut fetches)
                .await
                .items
                .is_empty()
        );
        assert!(
            numbers(25, page(9, 10), &mut fetches)
                .await
                .items
                .is_empty()
        );
    }

    #[actix_web::test]
    async fn far_pages_are_walked_in_the_largest_steps() {
        let mut fetches = 0;
        let page = numbers(2_000, page(11, 100), &mut fetches).await;
        assert_eq!(page.items.first(), Some(&1_001));
        assert_eq!(fetches, 6, "five steps of 200, then the page");
    }

    #[test]
    fn pages_count_from_one_and_stay_near_the_start() {
        assert!(page(0, 10).checked().is_err());
        assert!(page(1, 0).checked().is_err());
        assert!(page(1, 101).checked().is_err());
        assert_eq!(page(1, 10).checked().unwrap(), (10, 0));
        assert!(page(1_002, 10).checked().is_err());
    }
}
