//! Wakes the trainers' live views: each graded submission bumps a counter
//! that open event streams watch (streams also poll the database, which
//! catches the submissions made through other servers), and stopping the
//! server ends every stream so that a graceful shutdown is not held open.

use tokio::sync::watch;

#[derive(Debug)]
pub struct Live {
    submissions: watch::Sender<u64>,
    stopping: watch::Sender<bool>,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            submissions: watch::Sender::new(0),
            stopping: watch::Sender::new(false),
        }
    }
}

impl Live {
    /// A submission was stored.
    pub fn submitted(&self) {
        self.submissions
            .send_modify(|count| *count = count.wrapping_add(1));
    }

    /// The server stops: streams end.
    pub fn stop(&self) {
        self.stopping.send_replace(true);
    }

    /// What a stream watches: new submissions, and the server stopping.
    pub fn watch(&self) -> (watch::Receiver<u64>, watch::Receiver<bool>) {
        (self.submissions.subscribe(), self.stopping.subscribe())
    }
}
