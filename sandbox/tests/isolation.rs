//! What a program can reach: only its own run directory, which is new for
//! every run and gone afterwards; no host files, processes, network or
//! environment. Runs' folders go where the sandbox is told.

mod common;

use common::{assert_contained, run};
use fabrique_sandbox::Language::{JavaScript, Python};
use fabrique_sandbox::{RunRequest, RunStatus, Sandbox, SandboxConfig, SandboxError};

#[tokio::test]
async fn host_files_are_out_of_reach() {
    for code in [
        "print(open('/etc/passwd').read())\n",
        "print(open('../../../../etc/passwd').read())\n",
        "import os\nprint(os.listdir('/etc'))\n",
        "import os\nos.chdir('..')\nprint(os.listdir('.'))\nprint(open('etc/passwd').read())\n",
    ] {
        let report = assert_contained(Python, code, RunStatus::Exited).await;
        assert_ne!(report.exit_code, Some(0), "{code}: {report:?}");
        assert!(
            !report.stdout.contains("root:"),
            "{code}: {}",
            report.stdout
        );
        assert!(
            !report.stderr.contains("/tmp/"),
            "a host path leaked: {}",
            report.stderr
        );
    }
    let report = assert_contained(
        Python,
        "import os\nprint(sorted(os.listdir('/')))\n",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(
        report.stdout, "['main.py']\n",
        "the run directory holds only the program"
    );
    let report = assert_contained(
        Python,
        "import os\nprint(sorted(os.listdir('..')))\n",
        RunStatus::Exited,
    )
    .await;
    assert!(!report.stdout.contains("etc"), "{report:?}");

    for code in [
        "require('/etc/passwd')",
        "require('../../../../etc/passwd')",
        "require('fs').readFileSync('/etc/passwd')",
    ] {
        let report = assert_contained(JavaScript, code, RunStatus::Exited).await;
        assert_eq!(report.exit_code, Some(1), "{code}: {report:?}");
        assert!(
            report.stderr.contains("Cannot find module"),
            "{code}: {}",
            report.stderr
        );
    }
}

#[tokio::test]
async fn links_cannot_lead_out_of_the_run_directory() {
    for code in [
        "import os\nos.symlink('/etc/passwd', 'p')\nprint(open('p').read())\n",
        "import os\nos.symlink('../../../../../etc/passwd', 'p')\nprint(open('p').read())\n",
        "import os\nos.link('/etc/passwd', 'h')\nprint(open('h').read())\n",
        "import os\nos.link('../../../../../etc/passwd', 'h')\nprint(open('h').read())\n",
    ] {
        let report = assert_contained(Python, code, RunStatus::Exited).await;
        assert_ne!(report.exit_code, Some(0), "{code}: {report:?}");
        assert!(
            !report.stdout.contains("root:"),
            "{code}: {}",
            report.stdout
        );
    }
}

#[tokio::test]
async fn nothing_persists_between_runs() {
    let report = run(
        Python,
        "with open('note.txt', 'w') as f:\n    f.write('secret')\nprint(open('note.txt').read())\n",
    )
    .await;
    assert_eq!(
        report.stdout, "secret\n",
        "a program may use files during its run: {report:?}"
    );
    let report = run(Python, "import os\nprint(os.path.exists('note.txt'))\n").await;
    assert_eq!(report.stdout, "False\n");
    let report = run(
        Python,
        "import sys\nsys.modules['math'].pi = 3\nbuiltins = __builtins__\nprint('ok')\n",
    )
    .await;
    assert!(report.succeeded());
    let report = run(Python, "import math\nprint(math.pi)\n").await;
    assert_eq!(
        report.stdout, "3.141592653589793\n",
        "module state must not leak between runs"
    );
    let report = run(JavaScript, "globalThis.leak = 42; Math.PI = 3;").await;
    assert!(report.succeeded());
    let report = run(JavaScript, "console.log(typeof leak, Math.PI)").await;
    assert_eq!(report.stdout, "undefined 3.141592653589793\n");
}

#[tokio::test]
async fn processes_threads_and_network_are_unavailable() {
    for code in [
        "import os\nos.fork()\n",
        "import subprocess\nsubprocess.run(['ls', '/'])\n",
        "import os\nos.system('ls /')\n",
        "import socket\ns = socket.create_connection(('127.0.0.1', 5432))\nprint(s)\n",
        "import urllib.request\nprint(urllib.request.urlopen('http://127.0.0.1:8080/').read())\n",
    ] {
        let report = assert_contained(Python, code, RunStatus::Exited).await;
        assert_ne!(report.exit_code, Some(0), "{code}: {report:?}");
        assert!(report.stderr.contains("Error"), "{code}: {}", report.stderr);
    }
    // Starting a thread either fails or runs it to completion, never escapes.
    let report = assert_contained(
        Python,
        "import threading\nt = threading.Thread(target=lambda: print('fil'))\nt.start()\nt.join()\n",
        RunStatus::Exited,
    )
    .await;
    assert!(
        report.exit_code != Some(0) || report.stdout == "fil\n",
        "{report:?}"
    );

    for code in [
        "require('child_process').execSync('ls /')",
        "require('net').connect(5432, '127.0.0.1')",
        "fetch('http://127.0.0.1:8080/').then(r => console.log(r.status))",
        "new Worker('x.js')",
    ] {
        let report = assert_contained(JavaScript, code, RunStatus::Exited).await;
        assert_eq!(report.exit_code, Some(1), "{code}: {report:?}");
    }
}

#[tokio::test]
async fn the_host_environment_is_invisible() {
    let report = assert_contained(
        Python,
        "import os, sys\nprint(dict(os.environ))\nprint(sys.argv)\n",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.stdout, "{}\n['main.py']\n");
    let report = assert_contained(
        JavaScript,
        "console.log(process.env, process.argv.length)",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.stdout, "{} 2\n");
}

#[tokio::test]
async fn the_javascript_guest_s_own_functions_are_hidden_from_programs() {
    let names = [
        "__fabriqueWrite",
        "__fabriqueReadLine",
        "__fabriqueReadFile",
        "__fabriqueRunFile",
        "__fabriqueModule",
    ];
    let code = format!(
        "console.log([{}].map(f => typeof f).join(' '));",
        names
            .iter()
            .map(|name| format!("globalThis.{name}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let report = run(JavaScript, &code).await;
    assert_eq!(
        report.stdout,
        "undefined ".repeat(5).trim_end().to_owned() + "\n",
        "{report:?}"
    );
}

/// `work_dir` places every run's folder: a program's files are there while
/// it runs, and nothing is left once it ends. A folder that cannot be used
/// stops the sandbox at start, named.
#[tokio::test]
async fn runs_are_made_in_the_configured_folder_and_leave_nothing_there() {
    let folder = tempfile::tempdir().expect("a folder");
    let sandbox = Sandbox::new(SandboxConfig {
        cache_dir: Some(common::cache_dir()),
        work_dir: Some(folder.path().to_owned()),
        ..SandboxConfig::default()
    })
    .expect("the sandbox starts");
    let code = "open('trace.txt', 'w').write('ici')\nwhile True:\n    pass\n";
    let request = RunRequest::single(Python, code).with_limits(common::tight_limits());
    let running = tokio::spawn({
        let sandbox = sandbox.clone();
        async move { sandbox.run(request).await.expect("a report") }
    });
    let trace = || -> Option<String> {
        std::fs::read_dir(folder.path())
            .ok()?
            .flatten()
            .find_map(|run| std::fs::read_to_string(run.path().join("trace.txt")).ok())
    };
    let mut seen = None;
    while seen.is_none() && !running.is_finished() {
        seen = trace();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(
        seen.as_deref(),
        Some("ici"),
        "the run's file, in the folder"
    );
    assert_eq!(running.await.unwrap().status, RunStatus::TimeLimit);
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 0);

    let missing = folder.path().join("absent");
    let refused = Sandbox::new(SandboxConfig {
        cache_dir: Some(common::cache_dir()),
        work_dir: Some(missing.clone()),
        ..SandboxConfig::default()
    });
    match refused {
        Err(SandboxError::Internal(message)) => {
            assert!(
                message.contains(&missing.display().to_string()),
                "{message}"
            );
        }
        other => panic!(
            "a missing run folder is refused at start: {:?}",
            other.err()
        ),
    }
}
