//! Password resets: a random token, sent to the account's email, usable once within an hour.

use chrono::{DateTime, TimeDelta, Utc};

/// How long a reset token may be used.
pub const TOKEN_LIFETIME: TimeDelta = TimeDelta::hours(1);

/// A stored token, found by the hash of what its holder presents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResetToken {
    pub user_id: i64,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl ResetToken {
    pub fn expiry_for(issued_at: DateTime<Utc>) -> DateTime<Utc> {
        issued_at + TOKEN_LIFETIME
    }

    pub fn is_usable(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usable_once_within_the_hour() {
        let issued = DateTime::UNIX_EPOCH;
        let token = ResetToken {
            user_id: 1,
            expires_at: ResetToken::expiry_for(issued),
            used_at: None,
        };
        assert!(token.is_usable(issued + TimeDelta::minutes(59)));
        assert!(!token.is_usable(issued + TimeDelta::minutes(60)));
        let used = ResetToken {
            used_at: Some(issued),
            ..token
        };
        assert!(!used.is_usable(issued));
    }
}
