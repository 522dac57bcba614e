//! Passwords: the rules a new one must follow, and argon2id hashing. A
//! hash or a check (19 MiB and tens of milliseconds each) runs on a
//! blocking thread, a few at once ([`ARGON2_TURNS`]): a flood of logins or
//! registrations neither stalls the server's async threads nor takes its
//! memory.

use crate::error::AppError;
use crate::messages::Message;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngExt;
use std::sync::LazyLock;
use tokio::sync::Semaphore;

pub const MIN_PASSWORD_CHARS: usize = 8;
const MAX_PASSWORD_BYTES: usize = 256;

/// Checks a new password; the message says what to change, in French.
pub fn validate_new(password: &str) -> Result<(), AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::BadRequest(
            Message::new("password_too_short").with("min", MIN_PASSWORD_CHARS),
        ));
    }
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::BadRequest(Message::new("password_too_long")));
    }
    Ok(())
}

/// How many argon2 runs at once: twice the cores.
static ARGON2_TURNS: LazyLock<Semaphore> = LazyLock::new(|| {
    Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get() * 2))
});

async fn in_turn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let _turn = ARGON2_TURNS.acquire().await.map_err(AppError::internal)?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(AppError::internal)
}

/// The hash of a new password.
pub async fn hash(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    in_turn(move || hash_now(&password)).await?
}

/// The hashes of several new passwords, in one turn.
pub async fn hash_all(passwords: Vec<String>) -> Result<Vec<String>, AppError> {
    in_turn(move || passwords.iter().map(|p| hash_now(p)).collect()).await?
}

/// Whether `password` is the one `hash` was made from.
pub async fn verify(password: &str, hash: &str) -> Result<bool, AppError> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    in_turn(move || verify_now(&password, &hash)).await
}

/// [`hash`], on this thread.
pub fn hash_now(password: &str) -> Result<String, AppError> {
    let salt: [u8; 16] = rand::rng().random();
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(AppError::internal)
}

fn verify_now(password: &str, hash: &str) -> bool {
    if password.len() > MAX_PASSWORD_BYTES {
        return false;
    }
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Checks and normalizes an email address (trimmed, lowercase).
pub fn normalize_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        })
        && !email.contains(char::is_whitespace);
    if valid {
        Ok(email)
    } else {
        Err(AppError::BadRequest(Message::new("email_invalid")))
    }
}

/// Checks and trims a display name.
pub fn normalize_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(AppError::BadRequest(Message::new("name_length")));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hashed_with_argon2id_and_verified() {
        let hashed = hash_now("correct horse").unwrap();
        assert!(hashed.starts_with("$argon2id$"));
        assert!(verify_now("correct horse", &hashed));
        assert!(!verify_now("wrong horse", &hashed));
        assert_ne!(
            hashed,
            hash_now("correct horse").unwrap(),
            "a new salt each time"
        );
    }

    #[test]
    fn new_passwords_emails_and_names_are_checked() {
        assert!(validate_new("court").is_err());
        assert!(validate_new("assez long").is_ok());
        assert_eq!(
            normalize_email("  Awa@Exemple.FR ").unwrap(),
            "awa@exemple.fr"
        );
        for bad in [
            "awa",
            "awa@",
            "@x.fr",
            "awa@exemple",
            "a b@x.fr",
            "awa@x@y.fr",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
        assert_eq!(normalize_name("  Awa ").unwrap(), "Awa");
        assert!(normalize_name("   ").is_err());
    }
}
