//! What the sandbox's integration tests share: one sandbox per test binary,
//! its pre-initialized guests cached under the target directory so that only
//! the first test run of a checkout pays for preparing them.

#![allow(dead_code)] // each test binary uses its own part of this module

use fabrique_sandbox::{
    Language, Limits, RunReport, RunRequest, RunStatus, Sandbox, SandboxConfig,
};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

pub fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache")
}

pub fn sandbox() -> &'static Sandbox {
    static SANDBOX: OnceLock<Sandbox> = OnceLock::new();
    SANDBOX.get_or_init(|| {
        Sandbox::new(SandboxConfig {
            cache_dir: Some(cache_dir()),
            ..SandboxConfig::default()
        })
        .expect("the sandbox starts")
    })
}

/// Limits small enough for hostile programs to hit them quickly.
pub fn tight_limits() -> Limits {
    Limits {
        fuel: 8_000_000_000,
        wall_time: Duration::from_millis(2000),
        memory_bytes: 64 << 20,
        stdout_bytes: 16 << 10,
        stderr_bytes: 16 << 10,
        disk_bytes: 256 << 10,
        disk_files: 16,
        drawing_bytes: 64 << 10,
    }
}

/// [`tight_limits`] with a wall clock long enough that only memory stops a
/// memory bomb, even on a loaded machine where building a large string
/// takes seconds: the verdict under test is the memory limit.
pub fn memory_bomb_limits() -> Limits {
    Limits {
        wall_time: Duration::from_secs(15),
        ..tight_limits()
    }
}

pub async fn run(language: Language, code: &str) -> RunReport {
    run_request(RunRequest::single(language, code)).await
}

pub async fn run_with_stdin(language: Language, code: &str, stdin: &str) -> RunReport {
    run_request(RunRequest::single(language, code).with_stdin(stdin)).await
}

pub async fn run_request(request: RunRequest) -> RunReport {
    sandbox()
        .run(request)
        .await
        .expect("the sandbox produces a report")
}

/// Runs `code` and asserts that it printed exactly `expected` and succeeded.
pub async fn assert_output(language: Language, code: &str, expected: &str) {
    let report = run(language, code).await;
    assert!(
        report.succeeded(),
        "{language} program failed: {:?}\nstderr:\n{}",
        report.status,
        report.stderr
    );
    assert_eq!(
        report.stdout, expected,
        "{language} output differs\nstderr:\n{}",
        report.stderr
    );
}

/// Runs a hostile program under [`tight_limits`], asserts its verdict and
/// that it came within twice its wall-clock limit, then that an ordinary
/// program still runs right after it.
pub async fn assert_contained(language: Language, code: &str, expected: RunStatus) -> RunReport {
    assert_contained_within(tight_limits(), language, code, expected).await
}

/// [`assert_contained`] under other limits.
pub async fn assert_contained_within(
    limits: Limits,
    language: Language,
    code: &str,
    expected: RunStatus,
) -> RunReport {
    let report = run_request(RunRequest::single(language, code).with_limits(limits)).await;
    assert_eq!(
        report.status,
        expected,
        "{language} program {code:?} ended as {:?} (exit {:?})\nstdout: {}\nstderr: {}",
        report.status,
        report.exit_code,
        truncate(&report.stdout),
        truncate(&report.stderr)
    );
    assert!(
        report.time <= limits.wall_time * 2,
        "{language} program {code:?} took {:?}",
        report.time
    );
    assert_still_healthy(language).await;
    report
}

pub async fn assert_still_healthy(language: Language) {
    let hello = match language {
        Language::Python => "print('encore là')",
        Language::JavaScript => "console.log('encore là')",
        Language::Sql => "SELECT 'encore là' AS m;",
    };
    let after = run(language, hello).await;
    assert!(
        after.succeeded(),
        "a normal run after a hostile one failed: {after:?}"
    );
    match language {
        Language::Sql => assert!(after.stdout.contains("│ encore là │"), "{}", after.stdout),
        _ => assert_eq!(after.stdout, "encore là\n"),
    }
}

fn truncate(text: &str) -> String {
    text.chars().take(600).collect()
}
