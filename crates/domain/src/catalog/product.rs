//! Products: what is sold. A product is global (one SKU); stores stock it at their own prices.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

use super::category::CategoryId;
use crate::money::Money;
use crate::{FieldErrors, Invalid};

pub type ProductId = i64;

/// The business key, chosen by whoever adds the product (a bookstore's book id): 1 to 64
/// printable ASCII characters without spaces or `/`. Kept as given; unique.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Sku(String);

impl Sku {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let valid =
            (1..=64).contains(&raw.len()) && raw.bytes().all(|b| b.is_ascii_graphic() && b != b'/');
        if valid {
            Ok(Self(raw.to_owned()))
        } else {
            Err(Invalid::new(
                "must be 1 to 64 printable ASCII characters without spaces or `/`",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a product is; decides which `attributes` it may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductKind {
    /// Anything sold in the shop: frames, albums, prints.
    Goods,
    /// A book, with the bookstore's fields in `attributes`.
    Book,
    /// A studio package (套系): a shoot with what it includes.
    Package,
}

impl ProductKind {
    pub const ALL: &[ProductKind] = &[Self::Goods, Self::Book, Self::Package];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Goods => "goods",
            Self::Book => "book",
            Self::Package => "package",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|kind| kind.as_str() == raw)
            .ok_or_else(|| Invalid::new("must be `goods`, `book` or `package`"))
    }
}

/// Whether a product is offered. An archived product stays for the orders that name it but is
/// no longer listed by default nor sold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProductStatus {
    Active,
    Archived,
}

impl ProductStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Archived => "archived",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "active" => Ok(Self::Active),
            "archived" => Ok(Self::Archived),
            _ => Err(Invalid::new("must be `active` or `archived`")),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Product {
    pub id: ProductId,
    pub sku: Sku,
    pub kind: ProductKind,
    pub name: String,
    pub description: String,
    pub detailed_description: String,
    pub list_price: Money,
    pub category_id: Option<CategoryId>,
    pub status: ProductStatus,
    pub attributes: Map<String, Value>,
    pub tags: Vec<String>,
    /// The key of its primary image, when it has images.
    pub primary_image: Option<crate::media::MediaKey>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The limits of a product's texts, in characters.
pub const NAME_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 5_000;
pub const DETAILED_DESCRIPTION_MAX: usize = 100_000;
pub const TAGS_MAX: usize = 30;
pub const TAG_MAX: usize = 50;
/// The attributes as JSON text, in bytes.
pub const ATTRIBUTES_MAX_BYTES: usize = 256 * 1024;

pub fn parse_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, NAME_MAX)
}

/// A text of at most `max` characters, trimmed; may be empty.
pub fn parse_text(raw: &str, max: usize) -> Result<String, Invalid> {
    crate::text::optional(raw, max)
}

pub fn parse_price(amount: Decimal) -> Result<Money, Invalid> {
    Money::parse(amount)
}

/// Tags: each trimmed, 1 to 50 characters; duplicates dropped, order kept; at most 30.
pub fn parse_tags(raw: &[String]) -> Result<Vec<String>, Invalid> {
    let mut tags: Vec<String> = Vec::new();
    for tag in raw {
        let tag = tag.trim();
        let chars = tag.chars().count();
        if chars == 0 || chars > TAG_MAX {
            return Err(Invalid::new(format!(
                "each tag must be 1 to {TAG_MAX} characters"
            )));
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    if tags.len() > TAGS_MAX {
        return Err(Invalid::new(format!("at most {TAGS_MAX} tags")));
    }
    Ok(tags)
}

/// The attributes a book may carry, and the JSON type of each.
const BOOK_ATTRIBUTES: &[(&str, AttributeType)] = &[
    ("author", AttributeType::Text),
    ("publisher", AttributeType::Text),
    ("original_title", AttributeType::Text),
    ("translator", AttributeType::Text),
    ("pub_year", AttributeType::Text),
    ("pages", AttributeType::Count),
    ("binding", AttributeType::Text),
    ("isbn", AttributeType::Text),
    ("author_intro", AttributeType::Text),
    ("book_intro", AttributeType::Text),
    ("content", AttributeType::Text),
    ("currency_unit", AttributeType::Text),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeType {
    Text,
    /// A whole number, zero or more.
    Count,
}

/// Checks a product's attributes against its kind. A book's are the bookstore's fields, each
/// of its type (or null, which drops it); other kinds take any JSON object. Every kind is
/// bounded in size.
pub fn parse_attributes(
    kind: ProductKind,
    attributes: Map<String, Value>,
) -> Result<Map<String, Value>, FieldErrors> {
    let size = Value::Object(attributes.clone()).to_string().len();
    if size > ATTRIBUTES_MAX_BYTES {
        return Err(vec![(
            "attributes".to_owned(),
            Invalid::new(format!(
                "must be at most {ATTRIBUTES_MAX_BYTES} bytes of JSON"
            )),
        )]);
    }
    if kind != ProductKind::Book {
        return Ok(attributes);
    }
    let mut errors = Vec::new();
    let mut checked = Map::new();
    for (key, value) in attributes {
        let field = format!("attributes.{key}");
        let Some((_, expected)) = BOOK_ATTRIBUTES.iter().find(|(name, _)| *name == key) else {
            errors.push((field, Invalid::new("is not an attribute of a book")));
            continue;
        };
        let fits = match (expected, &value) {
            (_, Value::Null) => continue,
            (AttributeType::Text, Value::String(_)) => true,
            (AttributeType::Count, Value::Number(n)) => n.as_u64().is_some(),
            _ => false,
        };
        if fits {
            checked.insert(key, value);
        } else {
            let wanted = match expected {
                AttributeType::Text => "must be a string",
                AttributeType::Count => "must be a whole number, zero or more",
            };
            errors.push((field, Invalid::new(wanted)));
        }
    }
    if errors.is_empty() {
        Ok(checked)
    } else {
        Err(errors)
    }
}

/// The orders a product list can be browsed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProductSort {
    /// Newest first.
    #[default]
    Newest,
    /// Cheapest first.
    Price,
    /// By name.
    Name,
}

impl ProductSort {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "newest" => Ok(Self::Newest),
            "price" => Ok(Self::Price),
            "name" => Ok(Self::Name),
            _ => Err(Invalid::new("must be `newest`, `price` or `name`")),
        }
    }
}

/// Where a page of a browse ends, in the list's order: the sort key of the last product and
/// its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProductKey {
    Newest(DateTime<Utc>, ProductId),
    Price(Decimal, ProductId),
    Name(String, ProductId),
}

impl ProductKey {
    /// The key of `product` in the order `sort`; `price` is the price the list shows (a
    /// store's, when browsing a store).
    pub fn of(sort: ProductSort, product: &Product, price: Money) -> Self {
        match sort {
            ProductSort::Newest => Self::Newest(product.created_at, product.id),
            ProductSort::Price => Self::Price(price.amount(), product.id),
            ProductSort::Name => Self::Name(product.name.clone(), product.id),
        }
    }

    pub fn sort(&self) -> ProductSort {
        match self {
            Self::Newest(..) => ProductSort::Newest,
            Self::Price(..) => ProductSort::Price,
            Self::Name(..) => ProductSort::Name,
        }
    }
}

/// What a browse asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProductFilter {
    pub category_id: Option<CategoryId>,
    pub tag: Option<String>,
    /// `None` lists every status.
    pub status: Option<ProductStatus>,
    pub kind: Option<ProductKind>,
    pub min_price: Option<Money>,
    pub max_price: Option<Money>,
    /// Only what this store stocks; prices (filter, sort) are then the store's.
    pub store: Option<crate::stores::store::StoreId>,
    pub sort: ProductSort,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn skus_are_printable_ascii_kept_as_given() {
        for good in ["1000067", "BK-2026.01", "a_b:c"] {
            assert_eq!(Sku::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", "has space", "a/b", "书", &"x".repeat(65)] {
            assert!(Sku::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn tags_are_trimmed_and_deduplicated() {
        let tags = parse_tags(&[" 旅行 ".into(), "散文".into(), "旅行".into()]).unwrap();
        assert_eq!(tags, ["旅行", "散文"]);
        assert!(parse_tags(&["".into()]).is_err());
        let many: Vec<String> = (0..31).map(|n| n.to_string()).collect();
        assert!(parse_tags(&many).is_err());
    }

    #[test]
    fn a_books_attributes_are_its_fields_with_their_types() {
        let checked = parse_attributes(
            ProductKind::Book,
            object(json!({"author": "三毛", "pages": 320, "isbn": null})),
        )
        .unwrap();
        assert_eq!(
            Value::Object(checked),
            json!({"author": "三毛", "pages": 320})
        );

        let errors = parse_attributes(
            ProductKind::Book,
            object(json!({"author": 3, "pages": -1, "colour": "red"})),
        )
        .unwrap_err();
        let mut fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(
            fields,
            ["attributes.author", "attributes.colour", "attributes.pages"]
        );

        let anything = object(json!({"frame": {"colour": "oak"}}));
        assert_eq!(
            parse_attributes(ProductKind::Goods, anything.clone()).unwrap(),
            anything
        );
        let huge = object(json!({"blob": "x".repeat(ATTRIBUTES_MAX_BYTES)}));
        assert!(parse_attributes(ProductKind::Goods, huge).is_err());
    }

    #[test]
    fn kinds_statuses_and_sorts_parse_from_their_names() {
        for kind in ProductKind::ALL {
            assert_eq!(ProductKind::parse(kind.as_str()), Ok(*kind));
        }
        for status in [ProductStatus::Active, ProductStatus::Archived] {
            assert_eq!(ProductStatus::parse(status.as_str()), Ok(status));
        }
        assert_eq!(ProductSort::parse("price"), Ok(ProductSort::Price));
        assert!(ProductSort::parse("random").is_err());
    }
}
