//! The sandbox's own errors: what prevented a run from happening at all.
//! A program that fails is not an error: it is a [`RunReport`](crate::RunReport).

/// Why the sandbox did not run a program.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    /// Every run thread is taken and the queue is full: try again shortly.
    #[error("the sandbox is busy: every run slot is taken")]
    Busy,
    /// The request itself is wrong (file names, entry, limits).
    #[error("invalid run request: {0}")]
    InvalidRequest(String),
    /// The sandbox could not be set up or failed on the host side.
    #[error("sandbox failure: {0}")]
    Internal(String),
}

impl SandboxError {
    pub(crate) fn internal(error: impl std::fmt::Display) -> Self {
        SandboxError::Internal(error.to_string())
    }
}
