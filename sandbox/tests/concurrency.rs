//! The run pool under pressure: a burst of runs all complete or are refused
//! at once with `Busy`, an abandoned run frees its thread, and hundreds of
//! hostile runs in a row do not make the process grow.

mod common;

use common::{cache_dir, tight_limits};
use fabrique_sandbox::Language::{JavaScript, Python};
use fabrique_sandbox::{Limits, RunRequest, RunStatus, Sandbox, SandboxConfig, SandboxError};
use std::time::{Duration, Instant};

fn small_sandbox(workers: usize, queue: usize) -> Sandbox {
    Sandbox::new(SandboxConfig {
        workers,
        queue,
        cache_dir: Some(cache_dir()),
        ..SandboxConfig::default()
    })
    .expect("the sandbox starts")
}

#[tokio::test]
async fn a_burst_of_200_runs_completes_or_is_refused_never_lost() {
    let sandbox = small_sandbox(2, 16);
    // Spawned tasks are all polled, and so submitted, before the first
    // runs can finish.
    let mut runs = tokio::task::JoinSet::new();
    for i in 0..200 {
        let sandbox = sandbox.clone();
        runs.spawn(async move {
            let code = format!("print({i} * 2)");
            (i, sandbox.run(RunRequest::single(Python, code)).await)
        });
    }
    let results = tokio::time::timeout(Duration::from_secs(120), runs.join_all())
        .await
        .expect("no run hangs");
    let mut done = 0;
    let mut busy = 0;
    for (i, result) in results {
        match result {
            Ok(report) => {
                assert!(report.succeeded(), "{report:?}");
                assert_eq!(
                    report.stdout,
                    format!("{}\n", i * 2),
                    "each run gets its own output"
                );
                done += 1;
            }
            Err(SandboxError::Busy) => busy += 1,
            Err(other) => panic!("unexpected error {other}"),
        }
    }
    assert_eq!(done + busy, 200);
    assert!(done >= 16, "the queue was used: {done} done");
    assert!(busy >= 1, "a full queue refuses at once");
    // Once the burst is over, the sandbox accepts work again.
    let report = sandbox
        .run(RunRequest::single(Python, "print('ok')"))
        .await
        .unwrap();
    assert_eq!(report.stdout, "ok\n");
}

#[tokio::test]
async fn an_abandoned_run_frees_its_thread() {
    let sandbox = small_sandbox(1, 1);
    let endless = RunRequest::single(Python, "while True:\n    pass\n").with_limits(Limits {
        fuel: 60_000_000_000,
        wall_time: Duration::from_secs(15),
        ..Limits::default()
    });
    let abandoned = tokio::time::timeout(Duration::from_millis(300), sandbox.run(endless)).await;
    assert!(
        abandoned.is_err(),
        "the endless run was still going: {abandoned:?}"
    );
    let started = Instant::now();
    let report = sandbox
        .run(RunRequest::single(JavaScript, "console.log('libre')"))
        .await
        .unwrap();
    assert_eq!(report.stdout, "libre\n");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the thread was freed when its caller left, not when its budget ran out ({:?})",
        started.elapsed()
    );
}

fn resident_bytes() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("procfs");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .expect("VmRSS");
    let kib: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    kib * 1024
}

#[tokio::test]
async fn memory_does_not_grow_over_500_hostile_runs() {
    let sandbox = small_sandbox(2, 8);
    let limits = Limits {
        fuel: 100_000_000,
        wall_time: Duration::from_millis(500),
        ..tight_limits()
    };
    let hostile = [
        (Python, "s = 'a' * (10 ** 9)\n"),
        (Python, "while True:\n    print('x' * 1000)\n"),
        (Python, "def f(n):\n    return f(n + 1)\nf(0)\n"),
        (Python, "while True:\n    pass\n"),
        (Python, "open('f.txt', 'w').write('x' * 10 ** 6)\n"),
        (
            JavaScript,
            "const l = []; while (true) l.push(new Array(100000).fill(1));",
        ),
        (JavaScript, "while (true) console.log('x'.repeat(1000));"),
        (JavaScript, "function f(n) { return f(n + 1); } f(0);"),
        (JavaScript, "while (true) {}"),
        (JavaScript, "throw new Error('boum');"),
    ];
    let run_all = async |rounds: usize| {
        for round in 0..rounds {
            let (language, code) = hostile[round % hostile.len()];
            let report = sandbox
                .run(RunRequest::single(language, code).with_limits(limits))
                .await
                .expect("a report");
            assert_ne!(report.status, RunStatus::Crashed, "{code}: {report:?}");
        }
    };
    run_all(40).await;
    let before = resident_bytes();
    run_all(500).await;
    let after = resident_bytes();
    let growth = after.saturating_sub(before);
    assert!(
        growth < 48 << 20,
        "resident memory grew by {} MiB over 500 hostile runs ({} → {} MiB)",
        growth >> 20,
        before >> 20,
        after >> 20
    );
}
