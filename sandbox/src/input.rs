//! A guest's standard input: bytes in memory that the host may replace
//! between two calls into the same instance (each new run of the program in
//! a grading reads its own input).

use bytes::Bytes;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, ReadBuf};
use wasmtime_wasi::cli::{IsTerminal, StdinStream};
use wasmtime_wasi::p2::{InputStream, Pollable, StreamError, StreamResult};

/// An in-memory standard input; clones share the same bytes.
#[derive(Debug, Clone)]
pub(crate) struct ReplaceableInput {
    bytes: Arc<Mutex<Bytes>>,
}

impl ReplaceableInput {
    pub(crate) fn new(bytes: impl Into<Bytes>) -> Self {
        ReplaceableInput {
            bytes: Arc::new(Mutex::new(bytes.into())),
        }
    }

    /// What the program reads from now on, whatever it left unread.
    pub(crate) fn replace(&self, bytes: impl Into<Bytes>) {
        *self.lock() = bytes.into();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Bytes> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn take(&self, size: usize) -> Bytes {
        let mut bytes = self.lock();
        let size = size.min(bytes.len());
        bytes.split_to(size)
    }
}

impl IsTerminal for ReplaceableInput {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl StdinStream for ReplaceableInput {
    fn async_stream(&self) -> Box<dyn AsyncRead + Send + Sync> {
        Box::new(self.clone())
    }

    fn p2_stream(&self) -> Box<dyn InputStream> {
        Box::new(self.clone())
    }
}

#[wasmtime_wasi::async_trait]
impl Pollable for ReplaceableInput {
    async fn ready(&mut self) {}
}

impl InputStream for ReplaceableInput {
    fn read(&mut self, size: usize) -> StreamResult<Bytes> {
        let read = self.take(size);
        if read.is_empty() && size > 0 {
            return Err(StreamError::Closed);
        }
        Ok(read)
    }
}

impl AsyncRead for ReplaceableInput {
    fn poll_read(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let read = self.take(buf.remaining());
        buf.put_slice(&read);
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_to_the_end_then_reads_what_replaced_it() {
        let mut input = ReplaceableInput::new("abc");
        assert_eq!(input.read(2).unwrap(), "ab");
        assert_eq!(input.read(9).unwrap(), "c");
        assert!(matches!(input.read(1), Err(StreamError::Closed)));
        input.replace("new");
        assert_eq!(input.read(9).unwrap(), "new");
    }
}
