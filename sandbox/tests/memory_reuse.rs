//! Runs reuse their memory slot without faulting it in again: after a run,
//! the pages it wrote are reset in place from the guest's image, however
//! scattered they are in the interpreter's heap, so the next run in the slot
//! finds them mapped and writable. (Decommitting them instead costs a page
//! fault per page on the next run, and a TLB flush on every core: under
//! load, that kernel work was most of the CPU time.)
//!
//! And the reset is complete: what a run wrote all over the heap is gone
//! for the next run in the slot.
//!
//! Its own test binary, with one test: it counts the whole process's page
//! faults.

#![cfg(target_os = "linux")]

mod common;

use fabrique_sandbox::{Language, RunRequest, RunStatus, Sandbox, SandboxConfig};

/// A Python program that does a little of what a learner's does: a
/// function, a loop, a list, formatted output.
const PROGRAM: &str = "def carre(n):\n    return n * n\n\nvaleurs = [carre(i) for i in range(200)]\nprint(f\"Somme : {sum(valeurs)}\")\n";

/// Marks every loaded module (their dictionaries lie all over the heap),
/// and changes `math.pi`.
const MARK_EVERYTHING: &str = "import sys, math\nmarked = 0\nfor name, module in list(sys.modules.items()):\n    try:\n        setattr(module, '_trace', name)\n        marked += 1\n    except Exception:\n        pass\nmath.pi = 3\nprint(marked)\n";

/// Counts the marks a previous run could have left.
const LOOK_FOR_MARKS: &str = "import sys, math\nleft = [n for n, m in list(sys.modules.items()) if hasattr(m, '_trace')]\nprint(len(left), math.pi)\n";

/// Minor page faults of this process so far (`/proc/self/stat`, field 10).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("/proc/self/stat is readable");
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')').expect("a command name") + 1..];
    after_name
        .split_whitespace()
        .nth(7)
        .and_then(|field| field.parse().ok())
        .expect("the minor fault count")
}

#[tokio::test(flavor = "current_thread")]
async fn python_runs_reuse_their_slot_without_faults_and_start_pristine() {
    let sandbox = Sandbox::new(SandboxConfig {
        workers: 1,
        cache_dir: Some(common::cache_dir()),
        ..SandboxConfig::default()
    })
    .expect("the sandbox starts");
    let run = || async {
        let report = sandbox
            .run(RunRequest::single(Language::Python, PROGRAM))
            .await
            .expect("a report");
        assert_eq!(report.status, RunStatus::Exited, "{report:?}");
        assert_eq!(report.stdout, "Somme : 2646700\n");
    };
    // Every slot of the pool (one per run thread, and one to spare) gets
    // its pages once.
    for _ in 0..6 {
        run().await;
    }
    const RUNS: u64 = 20;
    let before = minor_faults();
    for _ in 0..RUNS {
        run().await;
    }
    let per_run = (minor_faults() - before) / RUNS;
    eprintln!("minor page faults per run: {per_run}");
    assert!(
        per_run < 100,
        "each run faulted {per_run} pages in: its memory was decommitted after the previous run"
    );

    // One run thread: the next run reuses the slot this one wrote.
    for _ in 0..3 {
        let marked = sandbox
            .run(RunRequest::single(Language::Python, MARK_EVERYTHING))
            .await
            .expect("a report");
        let count: usize = marked.stdout.trim().parse().expect("a count");
        assert!(count >= 20, "only {count} modules marked: {marked:?}");
        let next = sandbox
            .run(RunRequest::single(Language::Python, LOOK_FOR_MARKS))
            .await
            .expect("a report");
        assert_eq!(next.stdout, "0 3.141592653589793\n", "{next:?}");
    }
}
