//! How a [`Sandbox`](crate::Sandbox) is set up: pool size, queue, limits,
//! where the pre-initialized guests are cached.

use crate::Limits;
use std::path::PathBuf;

/// The sandbox's settings. `Default` gives safe values for one machine.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// Run threads: how many programs run at the same time.
    pub workers: usize,
    /// Runs that may wait for a thread; more are refused with
    /// [`SandboxError::Busy`](crate::SandboxError::Busy).
    pub queue: usize,
    /// The limits callers use when they have no reason to choose others
    /// (grading uses them).
    pub default_limits: Limits,
    /// The highest limits a request may ask for.
    pub max_limits: Limits,
    /// Where pre-initialized, precompiled guests are kept between starts;
    /// `None` prepares them anew at every start (several seconds).
    pub cache_dir: Option<PathBuf>,
    /// Where each run's temporary directory is created (the system's
    /// temporary directory when `None`). On a memory file system (such as
    /// Linux's `/dev/shm`) runs are faster: see `docs/benchmarks.md`.
    pub work_dir: Option<PathBuf>,
    /// The native stack available to guest code, in bytes.
    pub wasm_stack_bytes: usize,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
        let default_limits = Limits::default();
        SandboxConfig {
            workers,
            queue: workers * 32,
            default_limits,
            max_limits: Limits {
                fuel: default_limits.fuel * 3,
                wall_time: default_limits.wall_time * 3,
                memory_bytes: 256 << 20,
                stdout_bytes: 1 << 20,
                stderr_bytes: 1 << 20,
                disk_bytes: 16 << 20,
                disk_files: 1024,
                drawing_bytes: 4 << 20,
            },
            cache_dir: None,
            work_dir: None,
            wasm_stack_bytes: 8 << 20,
        }
    }
}
