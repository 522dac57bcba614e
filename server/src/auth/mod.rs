//! Accounts and sessions: password hashing (`password.rs`), throttling of
//! failed logins (`throttle.rs`), and what a request knows of its user and
//! its CSRF token (`session.rs`).

pub mod password;
pub mod session;
pub mod throttle;

pub use session::{
    CSRF_HEADER, CurrentUser, OptionalUser, check_csrf, csrf_token, log_in, log_out,
};
