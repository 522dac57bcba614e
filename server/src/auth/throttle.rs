//! Failed logins are throttled per account and per address: past a number
//! of failures in a window, further attempts are refused with the time to
//! wait. Kept in memory, per server.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
const MAX_PER_ACCOUNT: usize = 5;
const MAX_PER_ADDRESS: usize = 30;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginThrottle {
    /// `Err(seconds to wait)` when this account or address has failed too often.
    pub fn check(&self, email: &str, address: IpAddr) -> Result<(), u64> {
        let now = Instant::now();
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut wait = 0;
        for (key, max) in [
            (account_key(email), MAX_PER_ACCOUNT),
            (address_key(address), MAX_PER_ADDRESS),
        ] {
            if let Some(times) = failures.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                if times.len() >= max {
                    let oldest = times[0];
                    wait = wait.max((WINDOW - now.duration_since(oldest)).as_secs() + 1);
                }
            }
        }
        if wait > 0 { Err(wait) } else { Ok(()) }
    }

    pub fn failed(&self, email: &str, address: IpAddr) {
        let now = Instant::now();
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for key in [account_key(email), address_key(address)] {
            failures.entry(key).or_default().push(now);
        }
        if failures.len() > 100_000 {
            failures.retain(|_, times| {
                times
                    .last()
                    .is_some_and(|t| now.duration_since(*t) < WINDOW)
            });
        }
    }

    pub fn succeeded(&self, email: &str) {
        let mut failures = self
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        failures.remove(&account_key(email));
    }
}

fn account_key(email: &str) -> String {
    format!("account:{email}")
}

fn address_key(address: IpAddr) -> String {
    format!("address:{address}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_throttled_after_five_failures_and_freed_by_a_success() {
        let throttle = LoginThrottle::default();
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        for _ in 0..MAX_PER_ACCOUNT {
            assert!(throttle.check("a@x.fr", address).is_ok());
            throttle.failed("a@x.fr", address);
        }
        let wait = throttle.check("a@x.fr", address).unwrap_err();
        assert!(wait > 0 && wait <= WINDOW.as_secs() + 1);
        assert!(
            throttle.check("b@x.fr", address).is_ok(),
            "other accounts from the address still may"
        );
        throttle.succeeded("a@x.fr");
        assert!(throttle.check("a@x.fr", address).is_ok());
    }

    #[test]
    fn an_address_is_throttled_across_accounts() {
        let throttle = LoginThrottle::default();
        let address: IpAddr = "10.0.0.2".parse().unwrap();
        for i in 0..MAX_PER_ADDRESS {
            throttle.failed(&format!("u{i}@x.fr"), address);
        }
        assert!(throttle.check("nouveau@x.fr", address).is_err());
        assert!(
            throttle
                .check("nouveau@x.fr", "10.0.0.3".parse().unwrap())
                .is_ok()
        );
    }
}
