//! Sessions: what an opaque token stands for while it lives. Stored in Redis under a hash of
//! the token; the token itself is known only to its holder.

use chrono::{DateTime, TimeDelta, Utc};

use super::user::UserId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user_id: UserId,
    pub terminal: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The session ends if unused until then; each use moves it (a sliding expiry).
    pub expires_at: DateTime<Utc>,
}

/// How long an unused session lives, and how often its use is written back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_timeout: TimeDelta,
    /// Uses closer together than this do not move the expiry, sparing a write per request.
    pub touch_interval: TimeDelta,
}

impl SessionPolicy {
    pub fn open(&self, user_id: UserId, terminal: String, now: DateTime<Utc>) -> Session {
        Session {
            user_id,
            terminal,
            created_at: now,
            last_seen_at: now,
            expires_at: now + self.idle_timeout,
        }
    }

    /// The session as it should be stored after a use at `now`, if it needs storing again.
    pub fn touch(&self, session: &Session, now: DateTime<Utc>) -> Option<Session> {
        (now - session.last_seen_at >= self.touch_interval).then(|| Session {
            last_seen_at: now,
            expires_at: now + self.idle_timeout,
            ..session.clone()
        })
    }
}

impl Session {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        now < self.expires_at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> SessionPolicy {
        SessionPolicy {
            idle_timeout: TimeDelta::hours(1),
            touch_interval: TimeDelta::minutes(1),
        }
    }

    #[test]
    fn use_slides_the_expiry_but_not_on_every_request() {
        let t0 = DateTime::UNIX_EPOCH;
        let session = policy().open(7, "web".into(), t0);
        assert!(session.is_live(t0 + TimeDelta::minutes(59)));
        assert!(!session.is_live(t0 + TimeDelta::hours(1)));

        assert_eq!(policy().touch(&session, t0 + TimeDelta::seconds(30)), None);
        let touched = policy()
            .touch(&session, t0 + TimeDelta::minutes(50))
            .unwrap();
        assert_eq!(touched.expires_at, t0 + TimeDelta::minutes(110));
        assert_eq!(touched.created_at, t0);
        assert!(touched.is_live(t0 + TimeDelta::minutes(109)));
    }
}
