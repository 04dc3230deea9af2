//! Tokens and password hashes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest, Sha256};

/// Session tokens start with this, so they are recognisable (in logs, by secret scanners) and
/// told apart from other bearer tokens such as partners' API keys.
pub(crate) const SESSION_PREFIX: &str = "ats_";
/// Password reset tokens start with this.
pub(crate) const RESET_PREFIX: &str = "atr_";

/// `prefix` and 256 random bits, URL-safe.
pub(crate) fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// What is stored in place of a token: its SHA-256, hex. A token has 256 random bits, so a
/// fast hash is enough; a leak of the store does not reveal usable tokens.
pub(crate) fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Whether `token` could be a session token at all (saves a store lookup for garbage).
pub(crate) fn looks_like_session_token(token: &str) -> bool {
    token.len() == SESSION_PREFIX.len() + 43
        && token.starts_with(SESSION_PREFIX)
        && token[SESSION_PREFIX.len()..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// bcrypt, off the async threads: at cost 12 a hash takes a quarter of a second of CPU.
pub(crate) async fn hash_password(password: String, cost: u32) -> anyhow::Result<String> {
    tokio::task::spawn_blocking(move || bcrypt::hash(password, cost))
        .await?
        .map_err(Into::into)
}

/// False for a wrong password and for a hash that is not bcrypt (a deleted account's).
pub(crate) async fn verify_password(password: String, hash: String) -> anyhow::Result<bool> {
    Ok(
        tokio::task::spawn_blocking(move || bcrypt::verify(password, &hash).unwrap_or(false))
            .await?,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_prefixed_and_recognised() {
        let a = new_token(SESSION_PREFIX);
        let b = new_token(SESSION_PREFIX);
        assert_ne!(a, b);
        assert!(looks_like_session_token(&a), "{a}");
        assert!(!looks_like_session_token(&new_token(RESET_PREFIX)));
        assert!(!looks_like_session_token("ats_short"));
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
    }

    #[tokio::test]
    async fn passwords_verify_against_their_hash_only() {
        let hash = hash_password("correct horse".into(), 4).await.unwrap();
        assert!(
            verify_password("correct horse".into(), hash.clone())
                .await
                .unwrap()
        );
        assert!(!verify_password("wrong horse".into(), hash).await.unwrap());
        assert!(
            !verify_password("anything".into(), "!".into())
                .await
                .unwrap()
        );
    }
}
