//! The server's settings: each one a flag of `fabrique serve` (and of plain
//! `fabrique`) or an environment variable, with defaults that run a
//! classroom on one laptop.

use fabrique_sandbox::{Limits, SandboxConfig};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Debug, Clone, clap::Args)]
pub struct Settings {
    /// Address and port to listen on.
    #[arg(long, env = "FABRIQUE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Database URL: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    /// Default: sqlite://DATA_DIR/fabrique.db.
    #[arg(long, env = "FABRIQUE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// The courses to serve.
    #[arg(long, env = "FABRIQUE_CONTENT_DIR", default_value = "content")]
    pub content_dir: PathBuf,
    /// Where the prepared guest interpreters are cached (default: DATA_DIR/cache).
    #[arg(long, env = "FABRIQUE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Mark the session cookie `Secure` (when served behind HTTPS).
    #[arg(long, env = "FABRIQUE_SECURE_COOKIE")]
    pub secure_cookie: bool,
    /// Programs run at the same time (default: one per core).
    #[arg(long, env = "FABRIQUE_SANDBOX_WORKERS")]
    pub sandbox_workers: Option<usize>,
    /// Programs that may wait for a free run thread before the server answers 503.
    #[arg(long, env = "FABRIQUE_SANDBOX_QUEUE")]
    pub sandbox_queue: Option<usize>,
    /// Wall-clock limit of one run, in milliseconds.
    #[arg(long, env = "FABRIQUE_TIME_LIMIT_MS", default_value_t = 5000)]
    pub time_limit_ms: u64,
    /// Memory limit of one run, in MiB.
    #[arg(long, env = "FABRIQUE_MEMORY_LIMIT_MIB", default_value_t = 64)]
    pub memory_limit_mib: usize,
}

impl Settings {
    /// Settings for tests and tools: the courses of `content_dir`, a random
    /// local port, everything else by default.
    pub fn for_content(content_dir: PathBuf) -> Settings {
        Settings {
            listen: "127.0.0.1:0".parse().expect("a valid address"),
            database_url: None,
            content_dir,
            cache_dir: None,
            secure_cookie: false,
            sandbox_workers: None,
            sandbox_queue: None,
            time_limit_ms: 5000,
            memory_limit_mib: 64,
        }
    }

    /// The database URL, defaulting to a file in the data folder.
    pub fn database_url(&self, data_dir: &std::path::Path) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("fabrique.db").display()))
    }

    /// The limits of one run.
    pub fn limits(&self) -> Limits {
        Limits {
            wall_time: Duration::from_millis(self.time_limit_ms),
            memory_bytes: self.memory_limit_mib << 20,
            ..Limits::default()
        }
    }

    pub fn sandbox_config(&self, data_dir: &std::path::Path) -> SandboxConfig {
        let defaults = SandboxConfig::default();
        let workers = self.sandbox_workers.unwrap_or(defaults.workers).max(1);
        let limits = self.limits();
        SandboxConfig {
            workers,
            queue: self.sandbox_queue.unwrap_or(workers * 8),
            cache_dir: Some(
                self.cache_dir
                    .clone()
                    .unwrap_or_else(|| data_dir.join("cache")),
            ),
            default_limits: limits,
            max_limits: Limits {
                wall_time: defaults.max_limits.wall_time.max(limits.wall_time * 3),
                memory_bytes: defaults.max_limits.memory_bytes.max(limits.memory_bytes),
                ..defaults.max_limits
            },
            ..defaults
        }
    }
}
