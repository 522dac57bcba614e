//! The sandbox benchmark: start-up with a warm cache, then for Python and
//! JavaScript, hello-world and fib(25), the latency (p50, p99) and runs per
//! second at concurrency 1 and 2, beside the same programs run by native
//! `python3` / `node` subprocesses when those exist; then a turtle program
//! drawing 10,000 segments: its sandbox time, and the time to render its
//! drawing as SVG; and SQL: a one-row query, and a table of 1,000 rows
//! built, then grouped and sorted, or listed whole.
//!
//! Run with `cargo bench -p fabrique-sandbox`; the figures go to
//! `docs/benchmarks.md`.

use fabrique_sandbox::{Language, RunRequest, Sandbox, SandboxConfig};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Program {
    name: &'static str,
    language: Language,
    code: &'static str,
    runs: usize,
}

/// Draws 10,000 segments (`turtle` needs a display natively: no native figure).
const TURTLE_10K: &str = "import turtle\nturtle.speed(0)\nfor i in range(10000):\n    turtle.forward(1 + i % 50)\n    turtle.left(89)\n";

/// A table of 1,000 orders of 40 clients, built.
macro_rules! orders_1000 {
    () => {
        "CREATE TABLE commandes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)\n\
        SELECT i AS id, 'client-' || (i * 7 % 40) AS client, (i * 37 % 500) + 0.5 AS montant FROM n;\n"
    };
}

/// The orders, then the total of each client.
const SQL_1000: &str = concat!(
    orders_1000!(),
    "SELECT client, COUNT(*) AS commandes, SUM(montant) AS total FROM commandes GROUP BY client ORDER BY total DESC;\n"
);

/// The orders, then all of them: 1,000 rows handed over typed (100 drawn).
const SQL_1000_LISTED: &str = concat!(orders_1000!(), "SELECT * FROM commandes;\n");

const PROGRAMS: [Program; 8] = [
    Program {
        name: "hello",
        language: Language::Python,
        code: "print('Bonjour')\n",
        runs: 2000,
    },
    Program {
        name: "fib(25)",
        language: Language::Python,
        code: "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\nprint(fib(25))\n",
        runs: 20,
    },
    Program {
        name: "hello",
        language: Language::JavaScript,
        code: "console.log('Bonjour')\n",
        runs: 2000,
    },
    Program {
        name: "fib(25)",
        language: Language::JavaScript,
        code: "function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }\nconsole.log(fib(25));\n",
        runs: 20,
    },
    Program {
        name: "hello",
        language: Language::Sql,
        code: "SELECT 'Bonjour' AS message;\n",
        runs: 2000,
    },
    Program {
        name: "1,000 rows grouped",
        language: Language::Sql,
        code: SQL_1000,
        runs: 200,
    },
    Program {
        name: "1,000 rows listed",
        language: Language::Sql,
        code: SQL_1000_LISTED,
        runs: 200,
    },
    Program {
        name: "turtle 10k segments",
        language: Language::Python,
        code: TURTLE_10K,
        runs: 20,
    },
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index]
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

/// Runs `program` `runs` times from `concurrency` tasks; returns the sorted
/// latencies and the runs per second.
async fn measure(sandbox: &Sandbox, program: &Program, concurrency: usize) -> (Vec<Duration>, f64) {
    let per_task = program.runs / concurrency;
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let sandbox = sandbox.clone();
        let request = RunRequest::single(program.language, program.code);
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(per_task);
            for _ in 0..per_task {
                let t = Instant::now();
                let report = sandbox.run(request.clone()).await.expect("a report");
                assert!(report.succeeded(), "{report:?}");
                latencies.push(t.elapsed());
            }
            latencies
        });
    }
    let mut latencies: Vec<Duration> = tasks.join_all().await.into_iter().flatten().collect();
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    (latencies, rate)
}

/// The same program run by a native interpreter as a subprocess.
fn native(program: &Program) -> Option<(Vec<Duration>, &'static str)> {
    let (command, flag) = match program.language {
        Language::Python => ("python3", "-c"),
        Language::JavaScript => ("node", "-e"),
        // No SQLite command is assumed on the machine.
        Language::Sql => return None,
    };
    let runs = program.runs.min(50);
    let mut latencies = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        let status = Command::new(command)
            .args([flag, program.code])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .ok()?;
        if !status.success() {
            return None;
        }
        latencies.push(t.elapsed());
    }
    latencies.sort();
    Some((latencies, command))
}

/// The turtle program's own figures: the sandbox's time for the run (from
/// the report), the drawing's size, and the time to render it as SVG.
fn turtle_figures(runtime: &tokio::runtime::Runtime, sandbox: &Sandbox) {
    let mut run_times = Vec::new();
    let mut svg_times = Vec::new();
    let mut sizes = (0, 0, 0);
    for _ in 0..20 {
        let report = runtime
            .block_on(sandbox.run(RunRequest::single(Language::Python, TURTLE_10K)))
            .expect("a report");
        assert!(report.succeeded(), "{report:?}");
        let drawing = report.drawing.expect("a drawing");
        assert_eq!(drawing.lines().count(), 10_000);
        run_times.push(report.time);
        let t = Instant::now();
        let svg = drawing.to_svg();
        svg_times.push(t.elapsed());
        let json = serde_json::to_string(&drawing).expect("JSON");
        sizes = (drawing.ops.len(), json.len(), svg.len());
    }
    run_times.sort();
    svg_times.sort();
    println!(
        "\nturtle, 10,000 segments (20 runs): sandbox time p50 {} ms, p99 {} ms; \
         SVG rendering p50 {} ms; {} operations, {} KiB of JSON, {} KiB of SVG",
        ms(percentile(&run_times, 0.5)),
        ms(percentile(&run_times, 0.99)),
        ms(percentile(&svg_times, 0.5)),
        sizes.0,
        sizes.1 / 1024,
        sizes.2 / 1024
    );
}

fn main() {
    let cache_dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fabrique-guest-cache");
    let config = SandboxConfig {
        workers: 2,
        cache_dir: Some(cache_dir),
        ..SandboxConfig::default()
    };
    // The first start fills the cache if needed; the second is what a
    // server restart costs.
    let t = Instant::now();
    drop(Sandbox::new(config.clone()).expect("sandbox"));
    let first = t.elapsed();
    let t = Instant::now();
    let sandbox = Sandbox::new(config).expect("sandbox");
    let warm = t.elapsed();
    println!(
        "sandbox start: first {} ms, with a warm cache {} ms\n",
        ms(first),
        ms(warm)
    );

    // `cargo bench -p fabrique-sandbox -- WORD…` measures only the programs
    // whose "language program" name contains one of the words.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "| language | program | concurrency | p50 ms | p99 ms | runs/s | native p50 ms | native / sandbox |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for program in &PROGRAMS {
        let name = format!("{} {}", program.language, program.name);
        if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
            continue;
        }
        // Warm up: first runs touch the module's pages.
        runtime.block_on(async {
            for _ in 0..5 {
                sandbox
                    .run(RunRequest::single(program.language, program.code))
                    .await
                    .unwrap();
            }
        });
        let native = native(program);
        for concurrency in [1, 2] {
            let (latencies, rate) = runtime.block_on(measure(&sandbox, program, concurrency));
            let p50 = percentile(&latencies, 0.5);
            let (native_p50, ratio) = match &native {
                Some((native, command)) => {
                    let native_p50 = percentile(native, 0.5);
                    (
                        format!("{} ({command})", ms(native_p50)),
                        format!("{:.0}x", native_p50.as_secs_f64() / p50.as_secs_f64()),
                    )
                }
                None => ("n/a".into(), "n/a".into()),
            };
            println!(
                "| {} | {} | {concurrency} | {} | {} | {rate:.0} | {native_p50} | {ratio} |",
                program.language,
                program.name,
                ms(p50),
                ms(percentile(&latencies, 0.99)),
            );
        }
    }
    if filters.is_empty() || filters.iter().any(|f| "python turtle".contains(f.as_str())) {
        turtle_figures(&runtime, &sandbox);
    }
}
