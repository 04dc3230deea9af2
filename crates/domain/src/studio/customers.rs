//! Customers (CRM): the people the studio serves, how to reach them, what it remembers about
//! them, and the online account they may have.

use chrono::{DateTime, NaiveDate, Utc};

use super::CustomerId;
use crate::identity::credentials::Email;
use crate::identity::user::UserId;
use crate::{FieldErrors, Fields, Invalid};

/// Longest given or family name, in characters.
pub const NAME_MAX_CHARS: usize = 50;
/// Longest notes, in characters.
pub const NOTES_MAX_CHARS: usize = 2000;

/// A given name (名): 1 to 50 characters, trimmed.
pub fn parse_first_name(raw: &str) -> Result<String, Invalid> {
    crate::text::required(raw, NAME_MAX_CHARS)
}

/// A family name (姓): at most 50 characters, trimmed; may be empty.
pub fn parse_last_name(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, NAME_MAX_CHARS)
}

/// Notes: at most 2000 characters, trimmed.
pub fn parse_notes(raw: &str) -> Result<String, Invalid> {
    crate::text::optional(raw, NOTES_MAX_CHARS)
}

/// A phone number, kept in one canonical form so that the same number is found (and unique)
/// however it was typed: spaces and dashes are dropped; what remains is digits with an optional
/// leading `+`, 5 to 20 characters (the `+` counts). `138 0013-8000` is `13800138000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    pub const MIN_CHARS: usize = 5;
    pub const MAX_CHARS: usize = 20;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let kept: String = raw
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let digits = kept.strip_prefix('+').unwrap_or(&kept);
        let length = kept.chars().count();
        if digits.is_empty()
            || !digits.chars().all(|c| c.is_ascii_digit())
            || !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&length)
        {
            return Err(Invalid::new(
                "must be a phone number: 5 to 20 digits, an optional leading +, spaces and dashes allowed",
            ));
        }
        Ok(Self(kept))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where a customer heard of the studio (the `customers_lead_source_check` values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LeadSource {
    WalkIn,
    Referral,
    Website,
    SocialMedia,
    Partner,
    Advertising,
    Event,
    Other,
}

impl LeadSource {
    pub const ALL: &[LeadSource] = &[
        Self::WalkIn,
        Self::Referral,
        Self::Website,
        Self::SocialMedia,
        Self::Partner,
        Self::Advertising,
        Self::Event,
        Self::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WalkIn => "walk_in",
            Self::Referral => "referral",
            Self::Website => "website",
            Self::SocialMedia => "social_media",
            Self::Partner => "partner",
            Self::Advertising => "advertising",
            Self::Event => "event",
            Self::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        Self::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == raw)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|s| s.as_str()).collect();
                Invalid::new(format!("must be one of {}", names.join(", ")))
            })
    }
}

/// How to reach a customer: an email address, a phone number, or both, never neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    email: Option<Email>,
    phone: Option<Phone>,
}

impl Contact {
    pub fn new(email: Option<Email>, phone: Option<Phone>) -> Result<Self, Invalid> {
        if email.is_none() && phone.is_none() {
            return Err(Invalid::new("give an email address or a phone number"));
        }
        Ok(Self { email, phone })
    }

    pub fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    pub fn phone(&self) -> Option<&Phone> {
        self.phone.as_ref()
    }
}

/// Everything staff decide about a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerDetails {
    pub first_name: String,
    pub last_name: String,
    pub contact: Contact,
    pub birthday: Option<NaiveDate>,
    /// A wedding or other date the studio remembers.
    pub anniversary: Option<NaiveDate>,
    pub lead_source: Option<LeadSource>,
    pub notes: String,
    /// Their online account, if they have one.
    pub user_id: Option<UserId>,
}

/// An online account a customer or an employee is linked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedAccount {
    pub user_id: UserId,
    pub username: String,
    /// The account's role (what an employee may do).
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: CustomerId,
    pub details: CustomerDetails,
    pub account: Option<LinkedAccount>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The email and phone of a customer as typed, parsed together: each by its own rule, then
/// at least one of the two (the refusal of neither is reported against `contact_field`).
pub fn parse_contact(
    email: Option<&str>,
    phone: Option<&str>,
    contact_field: &str,
) -> Result<Contact, FieldErrors> {
    let mut fields = Fields::default();
    let email = email.and_then(|raw| fields.check("email", Email::parse(raw.trim())));
    let phone = phone.and_then(|raw| fields.check("phone", Phone::parse(raw)));
    fields.finish()?;
    Contact::new(email, phone).map_err(|e| vec![(contact_field.to_owned(), e)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_drop_spaces_and_dashes_and_keep_a_leading_plus() {
        assert_eq!(
            Phone::parse("138 0013-8000").unwrap().as_str(),
            "13800138000"
        );
        assert_eq!(
            Phone::parse(" +86 138 0013 8000 ").unwrap().as_str(),
            "+8613800138000"
        );
        assert_eq!(Phone::parse("12345").unwrap().as_str(), "12345");
        assert!(Phone::parse("1234").is_err(), "too short");
        assert!(Phone::parse("+123").is_err(), "the + counts");
        assert!(Phone::parse(&"1".repeat(21)).is_err(), "too long");
        assert!(Phone::parse("138-abc-8000").is_err());
        assert!(Phone::parse("13+800138000").is_err(), "+ only in front");
        assert!(Phone::parse("(010) 12345").is_err());
        assert!(Phone::parse("+").is_err());
        assert!(Phone::parse("").is_err());
    }

    #[test]
    fn lead_sources_parse_back_and_others_are_refused() {
        for source in LeadSource::ALL {
            assert_eq!(LeadSource::parse(source.as_str()), Ok(*source));
        }
        assert!(LeadSource::parse("WALK_IN").is_err());
        assert!(LeadSource::parse("radio").is_err());
    }

    #[test]
    fn names_are_trimmed_and_bounded_in_characters() {
        assert_eq!(parse_first_name(" 三 ").unwrap(), "三");
        assert!(parse_first_name("  ").is_err());
        assert!(parse_first_name(&"张".repeat(51)).is_err());
        assert_eq!(
            parse_first_name(&"张".repeat(50)).unwrap().chars().count(),
            50
        );
        assert_eq!(parse_last_name("").unwrap(), "");
        assert!(parse_last_name(&"a".repeat(51)).is_err());
        assert!(parse_notes(&"x".repeat(2001)).is_err());
        assert_eq!(
            parse_notes(&"记".repeat(2000)).unwrap().chars().count(),
            2000
        );
    }

    #[test]
    fn a_customer_is_reachable_by_email_or_phone() {
        let both = parse_contact(Some("a@example.com"), Some("138 0013 8000"), "contact").unwrap();
        assert_eq!(both.email().unwrap().as_str(), "a@example.com");
        assert_eq!(both.phone().unwrap().as_str(), "13800138000");
        let phone_only = parse_contact(None, Some("12345"), "contact").unwrap();
        assert!(phone_only.email().is_none());
        let neither = parse_contact(None, None, "contact").unwrap_err();
        assert_eq!(neither[0].0, "contact");
    }

    #[test]
    fn a_bad_email_and_a_bad_phone_are_both_reported() {
        let errors = parse_contact(Some("nope"), Some("12"), "contact").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["email", "phone"]);
    }
}
