//! Keyset pagination: a page is the `limit` items after a key, in a fixed order.

/// Largest page a caller may ask for.
pub const MAX_LIMIT: u32 = 200;
/// The page size when a caller names none.
pub const DEFAULT_LIMIT: u32 = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<K> {
    pub limit: u32,
    /// The key of the last item of the previous page.
    pub after: Option<K>,
}

impl<K> PageRequest<K> {
    pub fn first(limit: u32) -> Self {
        Self { limit, after: None }
    }

    /// How many rows to fetch: one more than the page, to learn whether another page follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub has_more: bool,
}

impl<T> Page<T> {
    /// Cuts `rows` (fetched with [`PageRequest::fetch`]) to the page.
    pub fn from_rows<K>(mut rows: Vec<T>, request: &PageRequest<K>) -> Self {
        let limit = request.limit as usize;
        let has_more = rows.len() > limit;
        rows.truncate(limit);
        Self {
            items: rows,
            has_more,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            has_more: self.has_more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_extra_row_tells_that_more_follow() {
        let request = PageRequest::<i64>::first(2);
        assert_eq!(request.fetch(), 3);
        let page = Page::from_rows(vec![1, 2, 3], &request);
        assert_eq!(page.items, [1, 2]);
        assert!(page.has_more);
        let last = Page::from_rows(vec![1, 2], &request);
        assert!(!last.has_more);
    }
}
