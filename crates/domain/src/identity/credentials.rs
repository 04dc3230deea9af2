//! The parts of an account a person types: username, password, email, display name, and the
//! label of the device a session is opened from.

use std::fmt;

use crate::Invalid;

/// A unique account name (the bookstore contract's `user_id`): 1 to 100 letters, digits, `_`,
/// `-` or `.`. Unique ignoring case; kept as typed. No `@`, so it cannot be taken for an email
/// when logging in with either.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let chars = raw.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be 1 to {} characters long",
                Self::MAX_CHARS
            )));
        }
        if !raw
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            return Err(Invalid::new(
                "may hold only letters, digits, `_`, `-` and `.`",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed: 8 to 72 bytes (bcrypt reads no further). Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;
    pub const MAX_BYTES: usize = 72;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(Invalid::new(format!(
                "must be at least {} characters long",
                Self::MIN_CHARS
            )));
        }
        if raw.len() > Self::MAX_BYTES {
            return Err(Invalid::new(format!(
                "must be at most {} bytes long",
                Self::MAX_BYTES
            )));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// An email address, kept as typed; unique ignoring case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let invalid = || Invalid::new("must be an email address such as name@example.com");
        if raw.chars().count() > Self::MAX_CHARS || raw.chars().any(char::is_whitespace) {
            return Err(invalid());
        }
        let (local, domain) = raw.rsplit_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || local.contains('@') || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The name shown for a person: 1 to 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS {
            return Err(Invalid::new(format!(
                "must be 1 to {} characters long",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// What a session was opened from ("iPhone", "front-desk-1"): 1 to 100 characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terminal(String);

impl Terminal {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let trimmed = raw.trim();
        let chars = trimmed.chars().count();
        if chars == 0 || chars > Self::MAX_CHARS || trimmed.chars().any(char::is_control) {
            return Err(Invalid::new(format!(
                "must be 1 to {} printable characters",
                Self::MAX_CHARS
            )));
        }
        Ok(Self(trimmed.to_owned()))
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
    fn usernames() {
        for good in [
            "alice",
            "test_new_order_buyer_id_3f1e2d3c-9a9b-11ef-8c4a-0242ac120002",
            "王小明",
            "a.b-c_d",
        ] {
            assert!(Username::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "has space",
            "mail@example.com",
            "tab\t",
            &"x".repeat(101),
        ] {
            assert!(Username::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn passwords_are_8_chars_to_72_bytes_and_never_printed() {
        assert!(Password::parse("1234567").is_err());
        assert!(Password::parse("12345678").is_ok());
        assert!(Password::parse("密码密码密码密码").is_ok());
        assert!(Password::parse(&"密".repeat(25)).is_err(), "75 bytes");
        assert_eq!(
            format!("{:?}", Password::parse("s3cret-pass").unwrap()),
            "Password(..)"
        );
    }

    #[test]
    fn emails() {
        for good in ["a@example.com", "first.last+tag@mail.example.cn"] {
            assert!(Email::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "plain",
            "@example.com",
            "a@example",
            "a@.com",
            "a b@example.com",
            "a@b@c.com",
            "a@example..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn display_names_and_terminals_are_trimmed() {
        assert_eq!(DisplayName::parse("  王小明 ").unwrap().as_str(), "王小明");
        assert!(DisplayName::parse("   ").is_err());
        assert_eq!(Terminal::parse(" iPhone ").unwrap().as_str(), "iPhone");
        assert!(Terminal::parse("bad\nline").is_err());
    }

    proptest! {
        #[test]
        fn accepted_usernames_fit_the_database(raw in "\\PC{0,120}") {
            if let Ok(name) = Username::parse(&raw) {
                let chars = name.as_str().chars().count();
                prop_assert!((1..=100).contains(&chars));
                prop_assert!(!name.as_str().contains('@'));
            }
        }

        #[test]
        fn accepted_emails_fit_the_database(raw in "[a-z@.]{0,20}") {
            if let Ok(email) = Email::parse(&raw) {
                let at = email.as_str().find('@').unwrap();
                prop_assert!(at > 0);
            }
        }
    }
}
