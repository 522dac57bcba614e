//! Login throttling, per account and per address, over a sliding window of
//! 15 minutes. Kept in memory, per server.
//!
//! An attempt is counted when it starts, before its password is checked,
//! so that a burst of concurrent attempts is counted whole; a success takes
//! its own attempt back and clears the account.
//!
//! - An address that failed [`MAX_PER_ADDRESS`] times is refused (429)
//!   until its oldest failure leaves the window.
//! - An account is never locked: past [`FREE_PER_ACCOUNT`] attempts, each
//!   further one waits for its turn, and turns are spaced by a delay that
//!   doubles with each attempt (1 s, 2 s, 4 s… up to [`MAX_STEP`]). An
//!   attempt whose turn is more than [`MAX_WAIT`] away is refused with the
//!   time to wait. So a flood against an account gets a handful of checks,
//!   and its owner, from another machine, gets in after the delay.
//! - A trainer can [`unlock`](LoginThrottle::unlock) a pupil's account.
//! - Looking up a join code is throttled per address the same way: past
//!   [`MAX_CODE_MISSES`] unknown codes, the address is refused, so that
//!   codes cannot be guessed (a known code does not count).
//!
//! Account keys are logins normalized as the database stores them: an
//! adult's email in lower case, a pupil's [`pupil_key`].

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Attempts on one account in the window before they are spaced.
pub const FREE_PER_ACCOUNT: usize = 5;
/// Failed attempts from one address in the window before it is refused.
pub const MAX_PER_ADDRESS: usize = 30;
/// The longest delay between two turns of an attacked account.
pub const MAX_STEP: Duration = Duration::from_secs(16);
/// The longest an attempt is held waiting for its turn; one whose turn is
/// later is refused.
pub const MAX_WAIT: Duration = Duration::from_secs(10);
/// Unknown join codes one address may try in the window.
pub const MAX_CODE_MISSES: usize = 20;
/// Keys kept before the windows are swept of old entries.
const SWEEP_ABOVE: usize = 100_000;

/// The throttle key of a pupil's account: its login in the database.
pub fn pupil_key(cohort_id: i64, name: &str) -> String {
    format!("pupil:{}", crate::db::cohorts::pupil_login(cohort_id, name))
}

#[derive(Debug, Default)]
pub struct LoginThrottle {
    windows: Mutex<Windows>,
}

#[derive(Debug, Default)]
struct Windows {
    accounts: HashMap<String, Account>,
    addresses: HashMap<IpAddr, VecDeque<Instant>>,
    code_misses: HashMap<IpAddr, VecDeque<Instant>>,
}

#[derive(Debug)]
struct Account {
    attempts: VecDeque<Instant>,
    /// When the next spaced attempt may be checked.
    next_turn: Instant,
}

/// A counted attempt. Dropped, it stays counted as a failure;
/// [`Attempt::succeeded`] takes it back.
#[derive(Debug)]
#[must_use = "an attempt is checked after its wait"]
pub struct Attempt<'a> {
    throttle: &'a LoginThrottle,
    account: String,
    address: IpAddr,
    at: Instant,
    wait: Duration,
}

impl LoginThrottle {
    fn windows(&self) -> MutexGuard<'_, Windows> {
        self.windows.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts an attempt on `account` from `address`, or `Err(seconds to
    /// wait)` when it is refused. The attempt must wait
    /// [`Attempt::wait`] before its password is checked.
    pub fn attempt(&self, account: &str, address: IpAddr) -> Result<Attempt<'_>, u64> {
        let now = Instant::now();
        let mut guard = self.windows();
        let windows = &mut *guard;
        if windows.accounts.len() + windows.addresses.len() + windows.code_misses.len()
            > SWEEP_ABOVE
        {
            windows.sweep(now);
        }
        let from_address = windows.addresses.entry(address).or_default();
        prune(from_address, now);
        if from_address.len() >= MAX_PER_ADDRESS {
            return Err(seconds_until(from_address[0] + WINDOW, now));
        }
        let on_account = windows
            .accounts
            .entry(account.to_owned())
            .or_insert_with(|| Account {
                attempts: VecDeque::new(),
                next_turn: now,
            });
        prune(&mut on_account.attempts, now);
        let wait = match on_account.attempts.len().checked_sub(FREE_PER_ACCOUNT) {
            None => Duration::ZERO,
            Some(spaced) => {
                let turn = on_account.next_turn.max(now);
                if turn - now > MAX_WAIT {
                    return Err(seconds_until(turn, now));
                }
                let step = Duration::from_secs(1 << spaced.min(8)).min(MAX_STEP);
                on_account.next_turn = turn + step;
                turn - now
            }
        };
        on_account.attempts.push_back(now);
        windows.addresses.entry(address).or_default().push_back(now);
        Ok(Attempt {
            throttle: self,
            account: account.to_owned(),
            address,
            at: now,
            wait,
        })
    }

    /// Counts a join code lookup from `address` as a miss until
    /// [`CodeLookup::found`] takes it back, or `Err(seconds to wait)`.
    pub fn code_lookup(&self, address: IpAddr) -> Result<CodeLookup<'_>, u64> {
        let now = Instant::now();
        let mut windows = self.windows();
        let misses = windows.code_misses.entry(address).or_default();
        prune(misses, now);
        if misses.len() >= MAX_CODE_MISSES {
            return Err(seconds_until(misses[0] + WINDOW, now));
        }
        misses.push_back(now);
        Ok(CodeLookup {
            throttle: self,
            address,
            at: now,
        })
    }

    /// Frees `account` (a trainer unlocking a pupil): its attempts and
    /// delay are forgotten.
    pub fn unlock(&self, account: &str) {
        self.windows().accounts.remove(account);
    }
}

impl Attempt<'_> {
    /// How long this attempt waits for its turn.
    pub fn wait(&self) -> Duration {
        self.wait
    }

    /// The password was right: the account is cleared, and this attempt
    /// no longer counts against its address.
    pub fn succeeded(self) {
        let mut windows = self.throttle.windows();
        windows.accounts.remove(&self.account);
        if let Some(times) = windows.addresses.get_mut(&self.address) {
            take_back(times, self.at);
        }
    }
}

/// A join code lookup, counted as a miss unless [`CodeLookup::found`].
#[derive(Debug)]
#[must_use = "a lookup that found its code says so"]
pub struct CodeLookup<'a> {
    throttle: &'a LoginThrottle,
    address: IpAddr,
    at: Instant,
}

impl CodeLookup<'_> {
    /// The code exists: this lookup does not count.
    pub fn found(self) {
        let mut windows = self.throttle.windows();
        if let Some(times) = windows.code_misses.get_mut(&self.address) {
            take_back(times, self.at);
        }
    }
}

impl Windows {
    fn sweep(&mut self, now: Instant) {
        self.accounts.retain(|_, account| {
            prune(&mut account.attempts, now);
            !account.attempts.is_empty()
        });
        for window in [&mut self.addresses, &mut self.code_misses] {
            window.retain(|_, times| {
                prune(times, now);
                !times.is_empty()
            });
        }
    }
}

fn prune(times: &mut VecDeque<Instant>, now: Instant) {
    while times
        .front()
        .is_some_and(|t| now.duration_since(*t) >= WINDOW)
    {
        times.pop_front();
    }
}

/// Removes the entry made at `at`.
fn take_back(times: &mut VecDeque<Instant>, at: Instant) {
    if let Some(position) = times.iter().rposition(|t| *t == at) {
        times.remove(position);
    }
}

fn seconds_until(when: Instant, now: Instant) -> u64 {
    when.saturating_duration_since(now).as_secs() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn a_burst_on_one_account_gets_a_few_spaced_checks_then_refusals() {
        let throttle = LoginThrottle::default();
        let mut waits = Vec::new();
        let mut refused = 0;
        for i in 0..30 {
            // Thirty attackers' addresses: the address limit is not what
            // stops them.
            match throttle.attempt("admin@x.fr", address(&format!("10.0.0.{i}"))) {
                Ok(attempt) => waits.push(attempt.wait()),
                Err(seconds) => {
                    assert!(seconds > 0 && seconds <= MAX_STEP.as_secs() * 2);
                    refused += 1;
                }
            }
        }
        assert_eq!(
            waits[..FREE_PER_ACCOUNT],
            [Duration::ZERO; FREE_PER_ACCOUNT]
        );
        let spaced = &waits[FREE_PER_ACCOUNT..];
        assert!(spaced.windows(2).all(|w| w[0] < w[1]), "{spaced:?}");
        assert!(spaced.iter().all(|wait| *wait <= MAX_WAIT));
        assert_eq!(waits.len() + refused, 30);
        assert!(waits.len() <= FREE_PER_ACCOUNT + 4, "{waits:?}");
    }

    #[test]
    fn a_success_clears_the_account_and_its_own_attempt() {
        let throttle = LoginThrottle::default();
        let home = address("10.0.0.1");
        for _ in 0..FREE_PER_ACCOUNT {
            drop(throttle.attempt("a@x.fr", home).unwrap());
        }
        let spaced = throttle.attempt("a@x.fr", home).unwrap();
        assert_eq!(
            spaced.wait(),
            Duration::ZERO,
            "the first spaced turn is now"
        );
        spaced.succeeded();
        assert_eq!(throttle.windows().addresses[&home].len(), FREE_PER_ACCOUNT);
        let next = throttle.attempt("a@x.fr", home).unwrap();
        assert_eq!(next.wait(), Duration::ZERO);
    }

    #[test]
    fn an_address_is_refused_across_accounts_and_others_are_not() {
        let throttle = LoginThrottle::default();
        let noisy = address("10.0.0.2");
        for i in 0..MAX_PER_ADDRESS {
            drop(throttle.attempt(&format!("u{i}@x.fr"), noisy).unwrap());
        }
        assert!(throttle.attempt("nouveau@x.fr", noisy).is_err());
        assert!(
            throttle
                .attempt("nouveau@x.fr", address("10.0.0.3"))
                .is_ok()
        );
    }

    #[test]
    fn unknown_codes_are_counted_per_address_and_known_ones_are_not() {
        let throttle = LoginThrottle::default();
        let guesser = address("10.0.3.1");
        for _ in 0..100 {
            throttle.code_lookup(guesser).unwrap().found();
        }
        for _ in 0..MAX_CODE_MISSES {
            drop(throttle.code_lookup(guesser).unwrap());
        }
        assert!(throttle.code_lookup(guesser).is_err());
        assert!(throttle.code_lookup(address("10.0.3.2")).is_ok());
    }

    #[test]
    fn unlocking_an_account_forgets_its_delay() {
        let throttle = LoginThrottle::default();
        for i in 0..12 {
            let _ = throttle.attempt(&pupil_key(4, "Awa"), address(&format!("10.0.1.{i}")));
        }
        assert!(
            throttle
                .attempt(&pupil_key(4, "awa"), address("10.0.2.1"))
                .is_err()
        );
        throttle.unlock(&pupil_key(4, "AWA"));
        let attempt = throttle
            .attempt(&pupil_key(4, "Awa"), address("10.0.2.1"))
            .unwrap();
        assert_eq!(attempt.wait(), Duration::ZERO);
    }
}
