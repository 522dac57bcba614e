//! The server's settings: each one a flag of `fabrique serve` (and of plain
//! `fabrique`) or an environment variable, with defaults that run a
//! classroom on one laptop.

use crate::connections::ConnectionLimits;
use fabrique_sandbox::{Limits, SandboxConfig};
use std::net::{IpAddr, SocketAddr, UdpSocket};
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
    /// Where the prepared guest interpreters are cached (default: DATA_DIR/cache
    /// for the server; the user's cache folder, such as ~/.cache/fabrique, for
    /// run, check and grade).
    #[arg(long, env = "FABRIQUE_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Where each run's files are written, then removed (default: the
    /// system's temporary folder). A memory file system, such as /dev/shm,
    /// makes runs faster.
    #[arg(long, env = "FABRIQUE_RUN_DIR")]
    pub run_dir: Option<PathBuf>,
    /// Mark the session cookie `Secure` (when served behind HTTPS).
    #[arg(long, env = "FABRIQUE_SECURE_COOKIE")]
    pub secure_cookie: bool,
    /// Programs run at the same time (default: one per core).
    #[arg(long, env = "FABRIQUE_SANDBOX_WORKERS")]
    pub sandbox_workers: Option<usize>,
    /// Programs that may wait for a free run thread before the server answers 503.
    #[arg(long, env = "FABRIQUE_SANDBOX_QUEUE")]
    pub sandbox_queue: Option<usize>,
    /// Programs one account may have running or waiting at the same time;
    /// one more is answered 429.
    #[arg(long, env = "FABRIQUE_RUNS_PER_ACCOUNT", default_value_t = 1)]
    pub runs_per_account: usize,
    /// Time a client has to send a request's headers, then its body, in
    /// milliseconds; also the longest a connection may stay idle.
    #[arg(long, env = "FABRIQUE_READ_TIMEOUT_MS", default_value_t = 10_000)]
    pub read_timeout_ms: u64,
    /// Connections open at the same time; more wait until one closes.
    #[arg(long, env = "FABRIQUE_MAX_CONNECTIONS", default_value_t = 512)]
    pub max_connections: usize,
    /// Pupils who may create their own account with one join code in an
    /// hour.
    #[arg(long, env = "FABRIQUE_PUPILS_PER_CODE_PER_HOUR", default_value_t = 40)]
    pub pupils_per_code_per_hour: u32,
    /// Learners' writes that may wait for the SQLite writer; more are
    /// answered 503.
    #[arg(long, env = "FABRIQUE_WRITE_QUEUE", default_value_t = 4096)]
    pub write_queue: usize,
    /// Minutes without activity after which a pupil's session ends (it
    /// also ends when the browser closes).
    #[arg(long, env = "FABRIQUE_PUPIL_IDLE_MINUTES", default_value_t = 120)]
    pub pupil_idle_minutes: u32,
    /// Days after a cohort's end date after which its pupils' accounts and
    /// work are deleted (checked every day).
    #[arg(long, env = "FABRIQUE_RETENTION_DAYS", default_value_t = 365)]
    pub retention_days: u32,
    /// Wall-clock limit of one run, in milliseconds.
    #[arg(long, env = "FABRIQUE_TIME_LIMIT_MS", default_value_t = 5000)]
    pub time_limit_ms: u64,
    /// Memory limit of one run, in MiB.
    #[arg(long, env = "FABRIQUE_MEMORY_LIMIT_MIB", default_value_t = 64)]
    pub memory_limit_mib: usize,
    /// Classroom mode: listen on the local network (on the port of --listen)
    /// and show the address pupils must type, with a QR code.
    #[arg(long, env = "FABRIQUE_LAN")]
    pub lan: bool,
    /// The address learners type to reach this server, shown on trainers'
    /// pages and login cards (--lan finds it; default: the address the
    /// trainer's browser uses).
    #[arg(long, env = "FABRIQUE_PUBLIC_URL")]
    pub public_url: Option<String>,
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
            run_dir: None,
            secure_cookie: false,
            sandbox_workers: None,
            sandbox_queue: None,
            runs_per_account: 1,
            pupil_idle_minutes: 120,
            write_queue: 4096,
            pupils_per_code_per_hour: 40,
            retention_days: 365,
            read_timeout_ms: 10_000,
            max_connections: 512,
            time_limit_ms: 5000,
            memory_limit_mib: 64,
            lan: false,
            public_url: None,
        }
    }

    /// In classroom mode (`--lan`), listens on every interface and sets the
    /// public URL to this machine's address on the local network.
    pub fn for_classroom(mut self) -> anyhow::Result<Settings> {
        if !self.lan {
            return Ok(self);
        }
        let ip = lan_address().ok_or_else(|| {
            anyhow::anyhow!(
                "no local network address found: connect this computer to the classroom's network (Wi-Fi or cable) first"
            )
        })?;
        let port = self.listen.port();
        self.listen = SocketAddr::new(std::net::Ipv4Addr::UNSPECIFIED.into(), port);
        if self.public_url.is_none() {
            self.public_url = Some(classroom_url(ip, port));
        }
        Ok(self)
    }

    /// The database URL, defaulting to a file in the data folder.
    pub fn database_url(&self, data_dir: &std::path::Path) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("fabrique.db").display()))
    }

    /// How long a pupil's session lives without activity.
    pub fn pupil_idle(&self) -> time::Duration {
        time::Duration::minutes(i64::from(self.pupil_idle_minutes.max(1)))
    }

    /// What one connection may take.
    pub fn connection_limits(&self) -> ConnectionLimits {
        let read = Duration::from_millis(self.read_timeout_ms.max(1));
        ConnectionLimits {
            header_read: read,
            body_read: read,
        }
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
            work_dir: self.run_dir.clone(),
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

/// This machine's address on the local network: the source address the
/// system would use to reach a private or public address (a UDP
/// `connect` sends nothing, so this works with no internet).
fn lan_address() -> Option<IpAddr> {
    ["192.168.1.1:9", "10.0.0.1:9", "172.16.0.1:9", "1.1.1.1:9"]
        .iter()
        .find_map(|target| {
            let socket = UdpSocket::bind("0.0.0.0:0").ok()?;
            socket.connect(target).ok()?;
            let ip = socket.local_addr().ok()?.ip();
            (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
        })
}

/// The URL pupils type: no port when it is HTTP's own.
fn classroom_url(ip: IpAddr, port: u16) -> String {
    if port == 80 {
        format!("http://{ip}")
    } else {
        format!("http://{ip}:{port}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_classroom_url_has_no_port_only_for_http_s_own() {
        let ip: IpAddr = "192.168.1.23".parse().unwrap();
        assert_eq!(classroom_url(ip, 8080), "http://192.168.1.23:8080");
        assert_eq!(classroom_url(ip, 80), "http://192.168.1.23");
    }

    #[test]
    fn lan_mode_listens_everywhere_on_the_same_port_and_keeps_a_given_url() {
        let mut settings = Settings::for_content("content".into());
        settings.listen = "127.0.0.1:8123".parse().unwrap();
        settings.lan = true;
        settings.public_url = Some("http://salle-info.local:8123".into());
        match settings.for_classroom() {
            Ok(settings) => {
                assert_eq!(settings.listen.to_string(), "0.0.0.0:8123");
                assert_eq!(
                    settings.public_url.as_deref(),
                    Some("http://salle-info.local:8123")
                );
            }
            // A machine with no network at all: the error says what to do.
            Err(err) => assert!(err.to_string().contains("network"), "{err}"),
        }
    }
}
