//! Secret tokens: CSRF tokens and the first administrator's setup link,
//! drawn from `rand::rng()` (a cryptographically secure generator seeded by
//! the operating system), and the hash a setup token is stored under.

use rand::RngExt;
use sha2::{Digest, Sha256};

/// 24 random bytes, in hexadecimal (48 characters).
pub fn random_token() -> String {
    hex(&rand::rng().random::<[u8; 24]>())
}

/// Setup tokens are stored hashed: the database alone does not give one.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_48_hexadecimal_characters_and_differ() {
        let (a, b) = (random_token(), random_token());
        assert_eq!(a.len(), 48);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn a_token_is_stored_as_its_sha256() {
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
