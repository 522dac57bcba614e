//! Images of starting databases. A run on a database script
//! ([`RunRequest::database`]) in any language starts from what the script
//! builds; running the script at every run would parse and insert its rows
//! again each time (most of a SQL grading's work on 1,000 rows). So the
//! first run on a script is preceded by one of the SQL guest alone, inside
//! the sandbox like any other, that builds the database and hands its
//! image (`sqlite3_serialize`) through `fabrique.database_image`; the image
//! is kept by the script's text, and every run on that script finds it as
//! a file of its folder (`base.sql` gives `base.db`): Python opens it,
//! SQL and JavaScript load it in memory.
//!
//! A script that fails to build (an error, a limit) gets no image: its runs
//! build it themselves, and say why it fails as before.

use crate::run::{self, Image};
use crate::{Language, Limits, RunRequest, RunStatus, SourceFile};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use wasmtime::InstancePre;

/// The most bytes of images kept; past it, all are forgotten.
const MAX_KEPT_BYTES: usize = 64 << 20;

/// The largest image kept: beyond, a database is built at every run.
pub(crate) const MAX_IMAGE_BYTES: usize = 16 << 20;

/// The images made so far, by script text (`None`: the script fails).
#[derive(Default)]
pub(crate) struct Images {
    kept: Mutex<Kept>,
}

#[derive(Default)]
struct Kept {
    by_script: HashMap<Arc<str>, Option<Arc<[u8]>>>,
    bytes: usize,
}

impl Images {
    /// The image of the database `request` starts from, made now with the
    /// SQL guest `sql` when none was made yet; `None` when the request has
    /// no database or its script fails to build.
    pub(crate) async fn of(
        &self,
        request: &RunRequest,
        sql: &InstancePre<run::RunState>,
        work_dir: Option<&Path>,
    ) -> Option<Arc<[u8]>> {
        let name = request.database.as_deref()?;
        let script = request.files.iter().find(|file| file.name == name)?;
        let kept = self.lock().by_script.get(script.contents.as_str()).cloned();
        if let Some(image) = kept {
            return image;
        }
        let made = make(script, request.limits, sql, work_dir).await;
        // A limit reached (on a loaded machine, or the request's own
        // tight limits) says nothing of the script: try again next time.
        let image = made.ok()?;
        let mut kept = self.lock();
        let size = image.as_ref().map_or(0, |image| image.len()) + script.contents.len();
        if kept.bytes + size > MAX_KEPT_BYTES {
            *kept = Kept::default();
        }
        kept.bytes += size;
        kept.by_script
            .insert(script.contents.as_str().into(), image.clone());
        image
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Runs the SQL guest on `script` alone, within `limits`, for its image:
/// `Ok(None)` when the script fails, `Err` when the run ended otherwise
/// (a limit, the sandbox's own trouble).
async fn make(
    script: &SourceFile,
    limits: Limits,
    sql: &InstancePre<run::RunState>,
    work_dir: Option<&Path>,
) -> Result<Option<Arc<[u8]>>, ()> {
    let request =
        RunRequest::program(Language::Sql, vec![script.clone()], &script.name).with_limits(limits);
    let request = RunRequest {
        database: Some(script.name.clone()),
        ..request
    };
    let (report, image) = run::execute(sql, &request, work_dir, Image::Make)
        .await
        .map_err(drop)?;
    match (report.status, report.exit_code) {
        (RunStatus::Exited, Some(0)) => Ok(image.map(Arc::from)),
        (RunStatus::Exited, _) => Ok(None),
        _ => Err(()),
    }
}
