//! A guest's standard output or error: captured in memory up to a cap. The
//! write that crosses the cap keeps what fits, then stops the program with
//! [`OutputLimitExceeded`], so that a program flooding its output ends at
//! once instead of burning its whole time budget.

use crate::report::clean_output;
use bytes::Bytes;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use tokio::io::AsyncWrite;
use wasmtime_wasi::cli::{IsTerminal, StdoutStream};
use wasmtime_wasi::p2::{OutputStream, Pollable, StreamError, StreamResult};

/// The error that stops a program whose output reached its cap.
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("output limit exceeded")]
pub(crate) struct OutputLimitExceeded;

#[derive(Debug, Default)]
struct Captured {
    bytes: Vec<u8>,
    overflowed: bool,
}

/// A capped in-memory output; clones share the same buffer.
#[derive(Debug, Clone)]
pub(crate) struct CappedOutput {
    captured: Arc<Mutex<Captured>>,
    capacity: usize,
}

impl CappedOutput {
    pub(crate) fn new(capacity: usize) -> Self {
        CappedOutput {
            captured: Arc::default(),
            capacity,
        }
    }

    /// The bytes kept, and whether more were refused; the capture starts
    /// again empty (for the next call into the same instance).
    pub(crate) fn take(&self) -> (Vec<u8>, bool) {
        let captured = std::mem::take(&mut *self.lock());
        (captured.bytes, captured.overflowed)
    }

    /// How many characters the output kept so far is, once cleaned as the
    /// report's (`clean_output`).
    pub(crate) fn cleaned_chars(&self) -> usize {
        clean_output(&self.lock().bytes, false).chars().count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Captured> {
        self.captured.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Appends what fits; false when something did not.
    fn append(&self, bytes: &[u8]) -> bool {
        let mut captured = self.lock();
        let room = self.capacity.saturating_sub(captured.bytes.len());
        let kept = bytes.len().min(room);
        captured.bytes.extend_from_slice(&bytes[..kept]);
        if kept < bytes.len() {
            captured.overflowed = true;
        }
        !captured.overflowed
    }
}

impl IsTerminal for CappedOutput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdoutStream for CappedOutput {
    fn p2_stream(&self) -> Box<dyn OutputStream> {
        Box::new(self.clone())
    }

    fn async_stream(&self) -> Box<dyn AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for CappedOutput {
    async fn ready(&mut self) {}
}

impl OutputStream for CappedOutput {
    fn write(&mut self, bytes: Bytes) -> StreamResult<()> {
        if self.append(&bytes) {
            Ok(())
        } else {
            Err(StreamError::Trap(OutputLimitExceeded.into()))
        }
    }

    fn flush(&mut self) -> StreamResult<()> {
        Ok(())
    }

    fn check_write(&mut self) -> StreamResult<usize> {
        // Accept any write: the one that crosses the cap is cut by `write`,
        // which then stops the program.
        Ok(usize::MAX / 2)
    }
}

impl AsyncWrite for CappedOutput {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if self.append(buf) {
            Poll::Ready(Ok(buf.len()))
        } else {
            Poll::Ready(Err(io::Error::other(OutputLimitExceeded)))
        }
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_what_fits_then_refuses() {
        let mut out = CappedOutput::new(5);
        assert!(out.write(Bytes::from_static(b"abc")).is_ok());
        let err = out.write(Bytes::from_static(b"defg")).unwrap_err();
        assert!(matches!(err, StreamError::Trap(_)));
        assert_eq!(out.take(), (b"abcde".to_vec(), true));
    }
}
