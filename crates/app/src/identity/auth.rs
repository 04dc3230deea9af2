//! From a bearer token to the person behind it.

use domain::identity::permission::Permission;
use domain::identity::session::Session;
use domain::identity::user::Principal;

use super::secrets::{looks_like_session_token, token_hash};
use super::{Identity, IdentityError};

/// A request's verified caller.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub session: Session,
    /// Identifies the session without being the token.
    pub token_hash: String,
}

impl Authenticated {
    pub fn require(&self, permission: Permission) -> Result<(), IdentityError> {
        if self.principal.access.allows(permission) {
            Ok(())
        } else {
            Err(IdentityError::Forbidden(permission))
        }
    }

    /// Holds at least one of `permissions` (refused naming the first).
    pub fn require_any(&self, permissions: &[Permission]) -> Result<(), IdentityError> {
        match permissions {
            [first, ..] if !permissions.iter().any(|p| self.principal.access.allows(*p)) => {
                Err(IdentityError::Forbidden(*first))
            }
            _ => Ok(()),
        }
    }
}

impl Identity {
    /// The session behind `token`, moved forward if due, with what its account may do now
    /// (roles are read per request, so a role change applies at once).
    pub async fn authenticate(&self, token: &str) -> Result<Authenticated, IdentityError> {
        if !looks_like_session_token(token) {
            return Err(IdentityError::Unauthenticated);
        }
        let hash = token_hash(token);
        let session = self
            .ports
            .sessions
            .find(&hash)
            .await?
            .ok_or(IdentityError::Unauthenticated)?;
        let now = self.ports.clock.now();
        if !session.is_live(now) {
            self.ports.sessions.revoke(&hash, session.user_id).await?;
            return Err(IdentityError::Unauthenticated);
        }
        let Some(principal) = self.ports.users.principal(session.user_id).await? else {
            // The account was deleted after the session was opened.
            self.ports.sessions.revoke(&hash, session.user_id).await?;
            return Err(IdentityError::Unauthenticated);
        };
        let session = match self.policy.sessions.touch(&session, now) {
            Some(touched) => {
                self.ports.sessions.save(&hash, &touched).await?;
                touched
            }
            None => session,
        };
        Ok(Authenticated {
            principal,
            session,
            token_hash: hash,
        })
    }
}
