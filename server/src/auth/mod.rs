//! Accounts and sessions: password hashing (`password.rs`), throttling of
//! logins (`throttle.rs`), checking one (`login.rs`), what a request knows
//! of its user (`session.rs`), CSRF tokens (`csrf.rs`) and other secret
//! tokens (`tokens.rs`).

pub mod csrf;
pub mod login;
pub mod password;
pub mod session;
pub mod throttle;
pub mod tokens;

pub use csrf::{CSRF_HEADER, Csrf, CsrfForm, check_csrf, csrf_token};
pub use session::{CurrentUser, OptionalUser, Signed, SignedWrite, log_in, log_out};
