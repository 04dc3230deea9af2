//! Categories: named, with a URL slug, ordered for display.

use chrono::{DateTime, Utc};

use crate::Invalid;

pub type CategoryId = i64;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub slug: Slug,
    pub description: String,
    pub display_order: i32,
    /// How many products are in the category (of any status).
    pub product_count: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A category's name: 1 to 100 characters, trimmed; unique ignoring case.
pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, 100)
}

/// A category's description: at most 2000 characters, trimmed.
pub fn parse_description(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, 2000)
}

/// The category's name in URLs: lower-case ASCII letters and digits in groups joined by `-`,
/// at most 100 characters (`wedding-photos`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid = (1..=100).contains(&raw.len())
            && raw.split('-').all(|part| {
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "must be lower-case letters and digits in groups joined by `-`, such as wedding-photos",
            ))
        }
    }

    /// A slug made from a name: its ASCII letters and digits, lower-cased, the rest turned
    /// into single dashes. `None` when nothing is left (a name in Chinese, say): the caller
    /// must choose one.
    pub fn from_name(name: &str) -> Option<Self> {
        let mut slug = String::new();
        for c in name.chars() {
            if c.is_ascii_alphanumeric() {
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let cut: String = slug.chars().take(100).collect();
        Self::parse(cut.trim_end_matches('-')).ok()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn slugs_are_checked_and_made_from_latin_names() {
        assert!(Slug::parse("wedding-photos").is_ok());
        for bad in ["", "Wedding", "a--b", "-a", "a-", "婚纱", "a b"] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            Slug::from_name("  Wedding & Portrait Photos! ")
                .unwrap()
                .as_str(),
            "wedding-portrait-photos"
        );
        assert_eq!(Slug::from_name("婚纱摄影 2026").unwrap().as_str(), "2026");
        assert_eq!(Slug::from_name("婚纱摄影"), None);
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(parse_name("  婚纱摄影 ").unwrap(), "婚纱摄影");
        assert!(parse_name("   ").is_err());
        assert!(parse_name(&"摄".repeat(101)).is_err());
    }

    proptest! {
        #[test]
        fn a_slug_made_from_any_name_is_valid(name in "\\PC{0,150}") {
            if let Some(slug) = Slug::from_name(&name) {
                prop_assert!(Slug::parse(slug.as_str()).is_ok());
            }
        }
    }
}
