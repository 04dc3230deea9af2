//! A person's address book (seed 002). At most one address is the default.

use chrono::{DateTime, Utc};

use crate::{FieldErrors, Fields, Invalid};

/// The fields of an address, checked. Lengths match the `addresses` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressFields {
    pub name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2, upper case.
    pub country: String,
}

/// The fields as received, before checking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawAddress {
    pub name: String,
    pub phone: String,
    pub line1: String,
    pub line2: Option<String>,
    pub city: String,
    pub state: Option<String>,
    pub postal_code: Option<String>,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    pub id: i64,
    pub fields: AddressFields,
    pub is_default: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn required(value: &str, max: usize) -> Result<String, Invalid> {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if chars == 0 {
        Err(Invalid::new("must not be empty"))
    } else if chars > max {
        Err(Invalid::new(format!("must be at most {max} characters")))
    } else {
        Ok(trimmed.to_owned())
    }
}

fn optional(value: Option<&str>, max: usize) -> Result<Option<String>, Invalid> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => required(text, max).map(Some),
    }
}

impl AddressFields {
    /// Checks every field; the errors name the fields they are about.
    pub fn parse(raw: &RawAddress) -> Result<Self, FieldErrors> {
        let mut errors = Fields::default();
        let name = errors.check("name", required(&raw.name, 100));
        let phone = errors.check("phone", phone(&raw.phone));
        let line1 = errors.check("line1", required(&raw.line1, 200));
        let line2 = errors.check("line2", optional(raw.line2.as_deref(), 200));
        let city = errors.check("city", required(&raw.city, 100));
        let state = errors.check("state", optional(raw.state.as_deref(), 100));
        let postal_code = errors.check("postal_code", optional(raw.postal_code.as_deref(), 20));
        let country = errors.check("country", country(&raw.country));
        errors.finish()?;
        let (
            Some(name),
            Some(phone),
            Some(line1),
            Some(line2),
            Some(city),
            Some(state),
            Some(postal_code),
            Some(country),
        ) = (name, phone, line1, line2, city, state, postal_code, country)
        else {
            unreachable!("every field parsed when there are no errors");
        };
        Ok(Self {
            name,
            phone,
            line1,
            line2,
            city,
            state,
            postal_code,
            country,
        })
    }
}

/// Digits with the usual separators, an optional leading `+`: 3 to 30 characters.
fn phone(raw: &str) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let digits = body.chars().filter(char::is_ascii_digit).count();
    let valid = (3..=30).contains(&trimmed.chars().count())
        && digits >= 3
        && body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')'));
    if valid {
        Ok(trimmed.to_owned())
    } else {
        Err(Invalid::new(
            "must be a phone number such as +86 138 0013 8000",
        ))
    }
}

fn country(raw: &str) -> Result<String, Invalid> {
    let trimmed = raw.trim();
    if trimmed.len() == 2 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(trimmed.to_ascii_uppercase())
    } else {
        Err(Invalid::new(
            "must be a two-letter ISO 3166 country code such as CN",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawAddress {
        RawAddress {
            name: " 王小明 ".into(),
            phone: "+86 138-0013-8000".into(),
            line1: "南京路 100 号".into(),
            line2: Some("  ".into()),
            city: "上海".into(),
            state: None,
            postal_code: Some("200001".into()),
            country: "cn".into(),
        }
    }

    #[test]
    fn fields_are_trimmed_and_normalised() {
        let fields = AddressFields::parse(&raw()).unwrap();
        assert_eq!(fields.name, "王小明");
        assert_eq!(fields.line2, None);
        assert_eq!(fields.country, "CN");
    }

    #[test]
    fn every_bad_field_is_named() {
        let bad = RawAddress {
            name: String::new(),
            phone: "call me".into(),
            country: "China".into(),
            ..raw()
        };
        let fields: Vec<String> = AddressFields::parse(&bad)
            .unwrap_err()
            .into_iter()
            .map(|(field, _)| field)
            .collect();
        assert_eq!(fields, ["name", "phone", "country"]);
    }
}
