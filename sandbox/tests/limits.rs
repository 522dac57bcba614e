//! Hostile programs, in both languages: each ends with the expected verdict
//! within twice its wall-clock limit, and the sandbox still runs an ordinary
//! program right after.

mod common;

use common::{assert_contained, assert_contained_within, memory_bomb_limits, tight_limits};
use fabrique_sandbox::Language::{JavaScript, Python};
use fabrique_sandbox::{RunRequest, RunStatus};

#[tokio::test]
async fn infinite_loops_hit_the_time_limit() {
    assert_contained(Python, "while True:\n    pass\n", RunStatus::TimeLimit).await;
    assert_contained(JavaScript, "while (true) {}", RunStatus::TimeLimit).await;
}

#[tokio::test]
async fn loops_inside_try_finally_cannot_escape_the_time_limit() {
    let python = "while True:\n    try:\n        while True:\n            pass\n    except BaseException:\n        pass\n    finally:\n        pass\n";
    assert_contained(Python, python, RunStatus::TimeLimit).await;
    let js = "while (true) { try { while (true) {} } catch (e) {} finally { continue; } }";
    assert_contained(JavaScript, js, RunStatus::TimeLimit).await;
}

#[tokio::test]
async fn catastrophic_regexes_hit_the_time_limit() {
    let python = "import re\nprint(re.match(r'(a+)+$', 'a' * 64 + 'b'))\n";
    assert_contained(Python, python, RunStatus::TimeLimit).await;
    let js = "console.log(/(a+)+$/.test('a'.repeat(64) + 'b'))";
    assert_contained(JavaScript, js, RunStatus::TimeLimit).await;
}

#[tokio::test]
async fn huge_integer_powers_are_stopped() {
    // Results of tens of megabytes: the memory limit, or the time limit
    // while computing them.
    for code in [
        "x = 7 ** (10 ** 8)\nprint(x % 10)\n",
        "x = 9 ** 9 ** 9\nprint(x % 10)\n",
    ] {
        let report =
            common::run_request(RunRequest::single(Python, code).with_limits(tight_limits())).await;
        assert!(
            matches!(report.status, RunStatus::TimeLimit | RunStatus::MemoryLimit),
            "{code}: {report:?}"
        );
        assert!(report.time <= tight_limits().wall_time * 2);
        common::assert_still_healthy(Python).await;
    }
    // Boa refuses such a BigInt itself, as Node does, with a RangeError.
    let report = assert_contained(
        JavaScript,
        "const x = 7n ** (10n ** 10n); console.log(x % 10n)",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("RangeError"), "{}", report.stderr);
}

#[tokio::test]
async fn memory_bombs_hit_the_memory_limit() {
    for code in [
        "s = 'a' * (10 ** 9)\n",
        "l = [0] * (10 ** 9)\n",
        "b = bytearray(10 ** 9)\n",
        "l = []\nwhile True:\n    l.append('x' * 100000)\n",
        "d = {}\ni = 0\nwhile True:\n    d[i] = [i] * 1000\n    i += 1\n",
    ] {
        let report =
            assert_contained_within(memory_bomb_limits(), Python, code, RunStatus::MemoryLimit)
                .await;
        assert!(report.memory_peak <= tight_limits().memory_bytes);
        assert!(
            !report.stderr.contains("RUST_BACKTRACE"),
            "{}",
            report.stderr
        );
    }
    for code in [
        "let s = 'ab'; while (true) { s = s + s; }",
        "const b = new Uint8Array(1e9); console.log(b.length);",
        "const l = []; for (let i = 0; ; i++) l.push('x'.repeat(100000) + i);",
        "const l = []; while (true) l.push([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);",
    ] {
        let report = assert_contained_within(
            memory_bomb_limits(),
            JavaScript,
            code,
            RunStatus::MemoryLimit,
        )
        .await;
        assert!(report.memory_peak <= tight_limits().memory_bytes);
    }
}

#[tokio::test]
async fn deep_recursion_is_a_language_error_not_a_crash() {
    let report = assert_contained(
        Python,
        "def f(n):\n    return f(n + 1)\n\nf(0)\n",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.exit_code, Some(1));
    assert!(
        report.stderr.contains("RecursionError"),
        "{}",
        report.stderr
    );
    assert!(
        report.stderr.contains("File \"main.py\", line 2"),
        "{}",
        report.stderr
    );

    let report = assert_contained(
        JavaScript,
        "function f(n) { return f(n + 1); }\nf(0);\n",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("RangeError"), "{}", report.stderr);

    // Recursion through methods and comprehensions, which use more of the
    // interpreter's own stack per level.
    let python = "class A:\n    def __repr__(self):\n        return repr([self])\n\nprint(A())\n";
    let report = assert_contained(Python, python, RunStatus::Exited).await;
    assert!(
        report.stderr.contains("RecursionError"),
        "{}",
        report.stderr
    );
    let js = "const o = { get x() { return this.x; } };\nconsole.log(o.x);";
    let report = assert_contained(JavaScript, js, RunStatus::Exited).await;
    assert!(report.stderr.contains("RangeError"), "{}", report.stderr);
}

#[tokio::test]
async fn deeply_nested_literals_are_syntax_errors() {
    let depth = 100_000;
    let python = format!("x = {}{}\nprint(x)\n", "[".repeat(depth), "]".repeat(depth));
    let report = assert_contained(Python, &python, RunStatus::Exited).await;
    assert!(report.stderr.contains("SyntaxError"), "{}", report.stderr);
    let js = format!(
        "const x = {}{};\nconsole.log(x);\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    let report = assert_contained(JavaScript, &js, RunStatus::Exited).await;
    assert!(report.stderr.contains("SyntaxError"), "{}", report.stderr);
}

#[tokio::test]
async fn output_floods_are_cut_and_marked() {
    let limits = tight_limits();
    for (language, code, on_stdout) in [
        (Python, "while True:\n    print('x' * 100)\n", true),
        (
            Python,
            "import sys\nwhile True:\n    sys.stderr.write('y' * 100)\n",
            false,
        ),
        (
            JavaScript,
            "while (true) console.log('x'.repeat(100));",
            true,
        ),
        (
            JavaScript,
            "while (true) console.error('y'.repeat(100));",
            false,
        ),
    ] {
        let report = assert_contained(language, code, RunStatus::OutputLimit).await;
        let (text, truncated, cap) = if on_stdout {
            (&report.stdout, report.stdout_truncated, limits.stdout_bytes)
        } else {
            (&report.stderr, report.stderr_truncated, limits.stderr_bytes)
        };
        assert!(truncated, "{code}");
        assert!(
            text.ends_with(fabrique_sandbox::TRUNCATION_MARKER),
            "{code}"
        );
        assert!(
            text.len() <= cap + fabrique_sandbox::TRUNCATION_MARKER.len(),
            "{code}"
        );
        assert!(
            text.len() >= cap / 2,
            "{code}: only {} bytes kept",
            text.len()
        );
    }
}

#[tokio::test]
async fn invalid_utf8_and_terminal_escapes_are_cleaned() {
    let python = "import sys\nsys.stdout.buffer.write(b'\\xff\\xfe ok\\n')\nprint('\\x1b[31mrouge\\x1b[0m \\x07fin')\n";
    let report = assert_contained(Python, python, RunStatus::Exited).await;
    assert_eq!(report.stdout, "\u{fffd}\u{fffd} ok\nrouge fin\n");
    let js = "console.log('\\u001b[1;32mvert\\u001b[0m'); console.log('\\uD800 seul');";
    let report = assert_contained(JavaScript, js, RunStatus::Exited).await;
    assert_eq!(report.stdout, "vert\n\u{fffd} seul\n");
}

#[tokio::test]
async fn sleeping_and_busy_waiting_hit_the_time_limit() {
    assert_contained(
        Python,
        "import time\ntime.sleep(1000)\n",
        RunStatus::TimeLimit,
    )
    .await;
    assert_contained(
        Python,
        "import time\nwhile True:\n    time.sleep(0.01)\n",
        RunStatus::TimeLimit,
    )
    .await;
    let js = "const end = Date.now() + 1e9; while (Date.now() < end) {}";
    assert_contained(JavaScript, js, RunStatus::TimeLimit).await;
}

#[tokio::test]
async fn reading_stdin_past_its_end_does_not_block() {
    let report = assert_contained(Python, "name = input()\nprint(name)\n", RunStatus::Exited).await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("EOFError"), "{}", report.stderr);
    let report = assert_contained(
        Python,
        "import sys\nprint(repr(sys.stdin.read()))\n",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.stdout, "''\n");
    let report = assert_contained(
        JavaScript,
        "console.log(prompt('Nom ? '))",
        RunStatus::Exited,
    )
    .await;
    assert_eq!(report.stdout, "null\n");
    assert_eq!(report.stdout_with_prompts(), "Nom ? null\n");
}

#[tokio::test]
async fn disk_fills_hit_the_file_limit() {
    let python = "f = open('big.txt', 'w')\nwhile True:\n    f.write('x' * 65536)\n    f.flush()\n";
    assert_contained(Python, python, RunStatus::OutputLimit).await;
    let python = "i = 0\nwhile True:\n    open(f'f{i}.txt', 'w').close()\n    i += 1\n";
    assert_contained(Python, python, RunStatus::OutputLimit).await;
    let python = "import os\nos.makedirs('a/b/c')\nwith open('a/b/c/big.bin', 'wb') as f:\n    f.write(b'0' * (4 << 20))\n";
    assert_contained(Python, python, RunStatus::OutputLimit).await;
}

#[tokio::test]
async fn large_lists_and_many_objects_are_ordinary_programs() {
    let code = "a = [0] * 100000\nb = list(range(100000))\nc = [str(i) for i in range(50000)]\nd = dict.fromkeys(range(50000))\nprint(len(a), sum(b), len(c), len(d))\n";
    let report = assert_contained(Python, code, RunStatus::Exited).await;
    assert_eq!(
        report.stdout, "100000 4999950000 50000 50000\n",
        "{report:?}"
    );
}

#[tokio::test]
async fn growing_lists_of_lists_and_dicts_hit_the_memory_limit() {
    for code in [
        "liste = []\nwhile True:\n    liste.append([0] * 100000)\n",
        "d = {}\ni = 0\nwhile True:\n    d[i] = [0] * 100000\n    i += 1\n",
    ] {
        let report =
            assert_contained_within(memory_bomb_limits(), Python, code, RunStatus::MemoryLimit)
                .await;
        assert!(report.memory_peak <= tight_limits().memory_bytes, "{code}");
    }
}

#[tokio::test]
async fn deep_nesting_in_exec_is_an_error_inside_the_program() {
    let nested = "\"[\" * 20000 + \"]\" * 20000";
    for call in [
        "exec(\"x = \" + NESTED)",
        "eval(NESTED)",
        "compile(NESTED, 'f', 'eval')",
    ] {
        let call = call.replace("NESTED", nested);
        let code = format!(
            "try:\n    {call}\nexcept (SyntaxError, RecursionError, MemoryError) as e:\n    print('attrapée', type(e).__name__)\n"
        );
        let report = assert_contained(Python, &code, RunStatus::Exited).await;
        assert!(report.stdout.starts_with("attrapée"), "{call}: {report:?}");
    }
    // In JavaScript the parser's recursion may exhaust the wasm stack
    // first: the run then ends with the language's own error, never a crash.
    let js = "try { eval('['.repeat(20000) + ']'.repeat(20000)); } catch (e) { console.log('attrapée', e.name); }";
    let report = assert_contained(JavaScript, js, RunStatus::Exited).await;
    assert!(
        report.stdout.starts_with("attrapée") || report.stderr.contains("RangeError"),
        "{report:?}"
    );
}

#[tokio::test]
async fn recursion_past_a_raised_limit_is_a_recursion_error() {
    let raised = "import sys\nsys.setrecursionlimit(100000)\ndef f(n):\n    return f(n + 1) + 1\ntry:\n    f(0)\nexcept RecursionError:\n    print('attrapée')\n";
    let report = assert_contained(Python, raised, RunStatus::Exited).await;
    assert_eq!(report.stdout, "attrapée\n", "{report:?}");
    // Frames larger than a plain call's, at the default limit.
    let large = "def f(n, *args, **kwargs):\n    a, b, c, d, e = [n] * 5\n    return sorted([f(n + 1, a, b, c, d, e, x=a, y=b)], key=lambda v: v)\nf(0)\n";
    let report = assert_contained(Python, large, RunStatus::Exited).await;
    assert!(report.stderr.contains("RecursionError"), "{report:?}");
    let js = "function f(n) { return [f(n + 1)].map((x) => x)[0]; }\ntry { f(0); } catch (e) { console.log(e.name); }\n";
    let report = assert_contained(JavaScript, js, RunStatus::Exited).await;
    assert!(
        report.stdout.contains("RangeError") || report.stderr.contains("RangeError"),
        "{report:?}"
    );
}
