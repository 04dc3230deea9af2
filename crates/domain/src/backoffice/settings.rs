//! System settings (seed 000 `system_settings`).
//!
//! The settings a deployment may change form a fixed catalogue declared here, each with its
//! kind, default and description. The database keeps only the values that differ from the
//! default, so adding a setting is one entry in [`CATALOGUE`], and the defaults live in one place.

use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Utc};

use crate::Invalid;

/// What values a setting accepts, and how they are written once accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SettingKind {
    /// An ISO 4217 alphabetic code, stored upper-case (`cny` is accepted as `CNY`).
    CurrencyCode,
    /// An IANA time zone name such as `Asia/Shanghai`.
    TimeZone,
    /// A wall-clock time `HH:MM`, 24-hour.
    TimeOfDay,
    /// Free text, trimmed, not empty, at most `max_chars` characters.
    Text { max_chars: usize },
    /// A whole number of seconds from `min` to `max`.
    Seconds { min: u32, max: u32 },
}

impl SettingKind {
    /// The lower-case name clients see.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CurrencyCode => "currency_code",
            Self::TimeZone => "time_zone",
            Self::TimeOfDay => "time_of_day",
            Self::Text { .. } => "text",
            Self::Seconds { .. } => "seconds",
        }
    }

    /// Checks `raw` and returns it in canonical form.
    pub fn normalize(self, raw: &str) -> Result<String, Invalid> {
        let trimmed = raw.trim();
        match self {
            Self::CurrencyCode => {
                if trimmed.len() == 3 && trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
                    Ok(trimmed.to_ascii_uppercase())
                } else {
                    Err(Invalid::new(
                        "must be a three-letter ISO 4217 code such as CNY",
                    ))
                }
            }
            Self::TimeZone => chrono_tz::Tz::from_str(trimmed)
                .map(|tz| tz.name().to_owned())
                .map_err(|_| Invalid::new("must be an IANA time zone such as Asia/Shanghai")),
            Self::TimeOfDay => NaiveTime::parse_from_str(trimmed, "%H:%M")
                .map(|t| t.format("%H:%M").to_string())
                .map_err(|_| Invalid::new("must be a 24-hour time HH:MM such as 03:00")),
            Self::Seconds { min, max } => match trimmed.parse::<u32>() {
                Ok(n) if (min..=max).contains(&n) => Ok(n.to_string()),
                _ => Err(Invalid::new(format!(
                    "must be a whole number of seconds from {min} to {max}"
                ))),
            },
            Self::Text { max_chars } => {
                let chars = trimmed.chars().count();
                if chars == 0 {
                    Err(Invalid::new("must not be empty"))
                } else if chars > max_chars {
                    Err(Invalid::new(format!(
                        "must be at most {max_chars} characters"
                    )))
                } else {
                    Ok(trimmed.to_owned())
                }
            }
        }
    }
}

/// One entry of the catalogue.
#[derive(Debug, PartialEq, Eq)]
pub struct SettingSpec {
    pub name: &'static str,
    pub kind: SettingKind,
    pub default: &'static str,
    pub description: &'static str,
}

/// Every setting a deployment may change, sorted by name.
pub const CATALOGUE: &[SettingSpec] = &[
    SettingSpec {
        name: "currency",
        kind: SettingKind::CurrencyCode,
        default: "CNY",
        description: "ISO 4217 code of the currency every price, payment and balance is in.",
    },
    SettingSpec {
        name: "orders.reservation_seconds",
        kind: SettingKind::Seconds {
            min: 1,
            max: 7 * 24 * 3600,
        },
        default: "900",
        description: "How long an unpaid order holds its stock before it expires, in seconds.",
    },
    SettingSpec {
        name: "studio.name",
        kind: SettingKind::Text { max_chars: 100 },
        default: "Atelier",
        description: "Business name shown on receipts and in messages to customers.",
    },
    SettingSpec {
        name: "studio.time_zone",
        kind: SettingKind::TimeZone,
        default: "Asia/Shanghai",
        description: "IANA time zone of the business, used where a store sets none of its own.",
    },
];

impl SettingSpec {
    /// The catalogue entry called `name`, if there is one.
    pub fn find(name: &str) -> Option<&'static SettingSpec> {
        CATALOGUE.iter().find(|spec| spec.name == name)
    }
}

/// A value stored because it differs from the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSetting {
    pub name: String,
    pub value: String,
    pub updated_at: DateTime<Utc>,
}

/// A setting as the business sees it: the stored value if there is one, else the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub spec: &'static SettingSpec,
    pub value: String,
    /// When the value was last changed; `None` while the default applies.
    pub updated_at: Option<DateTime<Utc>>,
}

impl Setting {
    pub fn effective(spec: &'static SettingSpec, stored: Option<&StoredSetting>) -> Self {
        match stored {
            Some(stored) => Self {
                spec,
                value: stored.value.clone(),
                updated_at: Some(stored.updated_at),
            },
            None => Self {
                spec,
                value: spec.default.to_owned(),
                updated_at: None,
            },
        }
    }

    pub fn is_default(&self) -> bool {
        self.updated_at.is_none()
    }
}

/// The outcome of asking to change a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingChange {
    /// The value equals the default: any stored value is removed.
    Reset,
    /// The value differs from the default and is stored in this canonical form.
    Store(String),
}

impl SettingSpec {
    /// Decides what a request to set this setting to `raw` means.
    pub fn change_to(&self, raw: &str) -> Result<SettingChange, Invalid> {
        let value = self.kind.normalize(raw)?;
        Ok(if value == self.default {
            SettingChange::Reset
        } else {
            SettingChange::Store(value)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn seconds_are_whole_and_bounded() {
        let kind = SettingKind::Seconds { min: 1, max: 60 };
        assert_eq!(kind.normalize(" 60 ").unwrap(), "60");
        assert!(kind.normalize("0").is_err());
        assert!(kind.normalize("61").is_err());
        assert!(kind.normalize("1.5").is_err());
        let spec = SettingSpec::find("orders.reservation_seconds").unwrap();
        assert_eq!(spec.kind.normalize(spec.default).unwrap(), "900");
    }

    #[test]
    fn catalogue_is_sorted_unique_and_its_defaults_are_canonical() {
        for pair in CATALOGUE.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} before {}",
                pair[0].name,
                pair[1].name
            );
        }
        for spec in CATALOGUE {
            assert_eq!(
                spec.kind.normalize(spec.default).as_deref(),
                Ok(spec.default)
            );
        }
    }

    #[test]
    fn currency_codes_are_upper_cased_and_checked() {
        let kind = SettingKind::CurrencyCode;
        assert_eq!(kind.normalize(" usd ").unwrap(), "USD");
        for bad in ["", "US", "USDT", "U$D", "人民币"] {
            assert!(kind.normalize(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        let kind = SettingKind::TimeZone;
        assert_eq!(kind.normalize("Europe/Berlin").unwrap(), "Europe/Berlin");
        assert!(kind.normalize("Mars/Olympus_Mons").is_err());
        assert!(kind.normalize("+08:00").is_err());
    }

    #[test]
    fn times_of_day_are_24_hour() {
        let kind = SettingKind::TimeOfDay;
        assert_eq!(kind.normalize("3:05").unwrap(), "03:05");
        assert_eq!(kind.normalize("23:59").unwrap(), "23:59");
        assert!(kind.normalize("24:00").is_err());
        assert!(kind.normalize("7pm").is_err());
    }

    #[test]
    fn text_is_measured_in_characters_not_bytes() {
        let kind = SettingKind::Text { max_chars: 4 };
        assert_eq!(kind.normalize(" 幸福影楼 ").unwrap(), "幸福影楼");
        assert!(kind.normalize("幸福影楼馆").is_err());
        assert!(kind.normalize("   ").is_err());
    }

    #[test]
    fn setting_the_default_value_is_a_reset() {
        let spec = SettingSpec::find("currency").unwrap();
        assert_eq!(spec.change_to("cny"), Ok(SettingChange::Reset));
        assert_eq!(
            spec.change_to("eur"),
            Ok(SettingChange::Store("EUR".into()))
        );
    }

    #[test]
    fn effective_value_prefers_the_stored_one() {
        let spec = SettingSpec::find("studio.name").unwrap();
        let default = Setting::effective(spec, None);
        assert!(default.is_default());
        assert_eq!(default.value, "Atelier");

        let stored = StoredSetting {
            name: spec.name.into(),
            value: "幸福影楼".into(),
            updated_at: DateTime::UNIX_EPOCH,
        };
        let setting = Setting::effective(spec, Some(&stored));
        assert!(!setting.is_default());
        assert_eq!(setting.value, "幸福影楼");
    }

    fn any_kind() -> impl Strategy<Value = SettingKind> {
        prop_oneof![
            Just(SettingKind::CurrencyCode),
            Just(SettingKind::TimeZone),
            Just(SettingKind::TimeOfDay),
            (1usize..50).prop_map(|max_chars| SettingKind::Text { max_chars }),
        ]
    }

    proptest! {
        #[test]
        fn normalizing_is_idempotent(kind in any_kind(), raw in "\\PC{0,12}|[a-zA-Z]{3}|[0-2]?[0-9]:[0-5][0-9]") {
            if let Ok(once) = kind.normalize(&raw) {
                prop_assert_eq!(kind.normalize(&once), Ok(once));
            }
        }

        #[test]
        fn text_never_exceeds_its_limit(max_chars in 1usize..20, raw in "\\PC{0,40}") {
            if let Ok(value) = (SettingKind::Text { max_chars }).normalize(&raw) {
                prop_assert!(value.chars().count() <= max_chars);
                prop_assert!(!value.is_empty());
            }
        }
    }
}
