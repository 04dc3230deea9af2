//! Forgotten passwords: a token by email, used once within the hour.

use domain::identity::credentials::{Email, Password};
use domain::identity::password_reset::ResetToken;
use domain::identity::user::AccountStatus;
use ports::mail::Message;

use super::accounts::keep;
use super::secrets::{RESET_PREFIX, new_token, token_hash};
use super::{Identity, IdentityError};

impl Identity {
    /// Sends a reset token to `email` if an account has it. The answer is the same whether
    /// or not one does; only the per-address limit (429) shows.
    pub async fn request_password_reset(
        &self,
        email: &str,
        client: Option<&str>,
    ) -> Result<(), IdentityError> {
        let now = self.ports.clock.now();
        if let Some(client) = client {
            let rule = self.policy.reset_requests_per_address;
            let key = format!(
                "ratelimit:reset:address:{client}:{}",
                rule.window_index(now)
            );
            self.check_limit(&key, &rule, now).await?;
            self.ports.counters.increment(&key, keep(&rule)).await?;
        }
        let email = Email::parse(email).map_err(|e| IdentityError::invalid("email", e))?;

        let rule = self.policy.reset_requests_per_email;
        let key = format!(
            "ratelimit:reset:email:{}:{}",
            email.as_str().to_lowercase(),
            rule.window_index(now)
        );
        if self.check_limit(&key, &rule, now).await.is_err() {
            tracing::warn!("password reset requests for one email over the limit; not sending");
            return Ok(());
        }
        self.ports.counters.increment(&key, keep(&rule)).await?;

        let Some(user) = self
            .ports
            .users
            .find_by_email(&email)
            .await?
            .filter(|user| user.status == AccountStatus::Active)
        else {
            return Ok(());
        };
        // To the address on the account, as stored, not as typed in the request.
        let recipient = user.email.as_ref().unwrap_or(&email).as_str().to_owned();
        let token = new_token(RESET_PREFIX);
        let expires_at = ResetToken::expiry_for(now);
        self.ports
            .resets
            .replace(user.id, &token_hash(&token), expires_at)
            .await?;
        self.ports
            .mailer
            .send(Message {
                recipient,
                subject: "Reset your Atelier password".to_owned(),
                body: format!(
                    "Someone asked to reset the password of the Atelier account {}.\n\n\
                     To choose a new password, send this token with it:\n\n{token}\n\n\
                     It works once, until {} (UTC). If you did not ask, ignore this message.",
                    user.username,
                    expires_at.format("%Y-%m-%d %H:%M")
                ),
                kind: "password_reset",
            })
            .await?;
        tracing::info!(user_id = user.id, "password reset token sent");
        Ok(())
    }

    /// Sets a new password with a reset token and ends every session of the account.
    pub async fn reset_password(&self, token: &str, new: &str) -> Result<(), IdentityError> {
        let new = Password::parse(new).map_err(|e| IdentityError::invalid("new_password", e))?;
        let hash = token_hash(token);
        let now = self.ports.clock.now();
        let stored = self
            .ports
            .resets
            .find(&hash)
            .await?
            .filter(|t| t.is_usable(now))
            .ok_or(IdentityError::InvalidResetToken)?;
        let password_hash = self.hash(&new).await?;
        // Redis first: if it is down the call fails and the token stays usable.
        self.ports.sessions.revoke_all(stored.user_id, None).await?;
        let user_id = self
            .ports
            .resets
            .redeem(&hash, now, &password_hash)
            .await?
            .ok_or(IdentityError::InvalidResetToken)?;
        // Again, for a login with the old password that slipped in between.
        self.ports.sessions.revoke_all(user_id, None).await?;
        tracing::info!(user_id, "password reset");
        Ok(())
    }
}
