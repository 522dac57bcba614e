//! Admission to the sandbox: a request that runs code (`POST /api/run`, a
//! submission) takes one of the sandbox's slots, one per run thread and
//! per queue slot, once its body has been read and parsed and its account
//! checked, and holds it until it is answered.
//!
//! Slots are shared fairly: one account has at most
//! [`Settings::runs_per_account`](crate::settings::Settings) programs
//! running or waiting (one by default); another one is refused at once
//! with 429 and `Retry-After`. Since the sandbox's queue is first come,
//! first served, a learner's next run waits behind every other learner's,
//! and a flood from one account cannot keep the class out. When every
//! slot is taken, a request is refused at once with 503 and
//! `Retry-After`, having cost almost nothing.
//!
//! The sandbox's own queue still refuses what overflows it (a grading may
//! run several programs); this only makes the common refusal cheap.

use crate::error::AppError;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The slots of a sandbox, and who holds them.
#[derive(Debug)]
pub struct Admission {
    slots: Arc<Semaphore>,
    /// Slots in all: run threads and queue slots.
    total: usize,
    workers: usize,
    per_account: usize,
    /// The slots each account holds; an account holding none is absent.
    held: Mutex<HashMap<i64, usize>>,
}

impl Admission {
    /// As many slots as the sandbox has run threads and queue slots, at
    /// most `per_account` (at least one) for each account.
    pub fn new(config: &fabrique_sandbox::SandboxConfig, per_account: usize) -> Self {
        Admission {
            slots: Arc::new(Semaphore::new(config.workers + config.queue)),
            total: config.workers + config.queue,
            workers: config.workers,
            per_account: per_account.max(1),
            held: Mutex::default(),
        }
    }

    /// A slot for a program of `account`: 429 when the account already
    /// holds its share, 503 when every slot is taken.
    pub fn admit(self: &Arc<Self>, account: i64) -> Result<SandboxTicket, AppError> {
        {
            let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
            let count = held.entry(account).or_default();
            if *count >= self.per_account {
                return Err(AppError::AlreadyRunning);
            }
            *count += 1;
        }
        // From here the account's count is returned by the slot's drop,
        // or below when there is no slot.
        match self.slots.clone().try_acquire_owned() {
            Ok(permit) => Ok(SandboxTicket {
                _permit: permit,
                account,
                admission: Arc::clone(self),
            }),
            Err(_) => {
                self.release(account);
                Err(AppError::Busy)
            }
        }
    }

    /// Slots held: programs running or waiting.
    pub fn in_use(&self) -> usize {
        self.total.saturating_sub(self.slots.available_permits())
    }

    /// Slots held beyond the run threads: requests waiting for one.
    pub fn waiting(&self) -> usize {
        self.in_use().saturating_sub(self.workers)
    }

    fn release(&self, account: i64) {
        let mut held = self.held.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = held.get_mut(&account) {
            *count -= 1;
            if *count == 0 {
                held.remove(&account);
            }
        }
    }
}

/// A ticket to the sandbox: one of its slots, held until the request is answered.
#[derive(Debug)]
pub struct SandboxTicket {
    _permit: OwnedSemaphorePermit,
    account: i64,
    admission: Arc<Admission>,
}

impl Drop for SandboxTicket {
    fn drop(&mut self) {
        self.admission.release(self.account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admission(slots: usize, per_account: usize) -> Arc<Admission> {
        let config = fabrique_sandbox::SandboxConfig {
            workers: 1,
            queue: slots - 1,
            ..fabrique_sandbox::SandboxConfig::default()
        };
        Arc::new(Admission::new(&config, per_account))
    }

    #[test]
    fn an_account_holds_at_most_its_share_and_gets_it_back() {
        let admission = admission(4, 1);
        let first = admission.admit(7).expect("a free slot");
        assert!(matches!(admission.admit(7), Err(AppError::AlreadyRunning)));
        let other = admission.admit(8).expect("another account is admitted");
        drop(first);
        let again = admission.admit(7).expect("the slot came back");
        drop((other, again));
        assert!(admission.held.lock().unwrap().is_empty());
    }

    #[test]
    fn a_full_sandbox_refuses_without_keeping_the_account_s_count() {
        let admission = admission(2, 2);
        let _a = admission.admit(1).unwrap();
        let _b = admission.admit(2).unwrap();
        assert!(matches!(admission.admit(3), Err(AppError::Busy)));
        assert!(!admission.held.lock().unwrap().contains_key(&3));
        assert!(matches!(admission.admit(1), Err(AppError::Busy)));
        assert_eq!(admission.held.lock().unwrap()[&1], 1);
    }
}
