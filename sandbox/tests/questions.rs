//! Programs that ask questions: the prompts of `input("…")` and
//! `prompt("…")` come on their own channel, not in the output; an
//! interactive run stops at a question its input has no answer for
//! (`needs_input`), and its replays draw the same random numbers.

mod common;

use common::{run_request, run_with_stdin};
use fabrique_sandbox::Language::{JavaScript, Python};
use fabrique_sandbox::{Prompt, RunRequest, RunStatus};

fn prompt(at: usize, text: &str) -> Prompt {
    Prompt {
        at,
        text: text.to_owned(),
    }
}

const GREETING: &str = "prenom = input(\"Ton prénom ? \")\nprint(\"Bonjour\", prenom)\n";

#[tokio::test]
async fn a_prompt_is_not_output() {
    let report = run_with_stdin(Python, GREETING, "Léa\n").await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.stdout, "Bonjour Léa\n");
    assert_eq!(report.prompts, [prompt(0, "Ton prénom ? ")]);
    assert_eq!(report.stdout_with_prompts(), "Ton prénom ? Bonjour Léa\n");

    let js = "const nom = prompt('Ton prénom ? ');\nconsole.log('Bonjour ' + nom);\n";
    let report = run_with_stdin(JavaScript, js, "Léa\n").await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.stdout, "Bonjour Léa\n");
    assert_eq!(report.prompts, [prompt(0, "Ton prénom ? ")]);
}

#[tokio::test]
async fn a_prompt_is_placed_after_the_output_printed_before_it() {
    // Characters, not bytes: « é » is one.
    let code = "print('Été')\nx = input('Ton âge ? ')\nprint('Tu as', x, 'ans')\n";
    let report = run_with_stdin(Python, code, "12\n").await;
    assert_eq!(report.stdout, "Été\nTu as 12 ans\n");
    assert_eq!(report.prompts, [prompt(4, "Ton âge ? ")]);
    let code = "process.stdout.write('a');\nconsole.log('b');\nconst x = prompt('? ');\n";
    let report = run_with_stdin(JavaScript, code, "1\n").await;
    assert_eq!(report.prompts, [prompt(3, "? ")], "{report:?}");
}

#[tokio::test]
async fn an_interactive_run_stops_at_a_question_it_has_no_answer_for() {
    let code = "print('Salut')\nfor i in range(3):\n    n = input(f'Question {i + 1} ? ')\n    print('reçu', n)\n";
    let ask =
        |stdin: &str| run_request(RunRequest::single(Python, code).with_stdin(stdin).asking(1));

    let report = ask("").await;
    assert_eq!(report.status, RunStatus::NeedsInput, "{report:?}");
    assert_eq!(report.exit_code, None);
    assert_eq!(report.stdout, "Salut\n");
    assert_eq!(report.prompts, [prompt(6, "Question 1 ? ")]);
    assert!(report.stderr.is_empty(), "no EOFError: {}", report.stderr);

    let report = ask("a\nb\n").await;
    assert_eq!(report.status, RunStatus::NeedsInput);
    assert_eq!(report.stdout, "Salut\nreçu a\nreçu b\n");
    assert_eq!(report.prompts.len(), 3);
    assert_eq!(report.prompts[2], prompt(20, "Question 3 ? "));

    let report = ask("a\nb\nc\n").await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.stdout, "Salut\nreçu a\nreçu b\nreçu c\n");

    // A question without a prompt is a question too.
    let report = run_with_stdin(Python, "a = input()\nprint(a)\nb = input()\n", "1\n2\n").await;
    assert_eq!(report.prompts, [prompt(0, ""), prompt(2, "")]);

    // JavaScript's prompt() and readline() ask too.
    for question in ["prompt('Ton nom ? ')", "readline()"] {
        let code =
            format!("console.log('Salut');\nconst n = {question};\nconsole.log('Bonjour ' + n);\n");
        let report = run_request(RunRequest::single(JavaScript, code.as_str()).asking(1)).await;
        assert_eq!(
            report.status,
            RunStatus::NeedsInput,
            "{question}: {report:?}"
        );
        assert_eq!(report.stdout, "Salut\n");
        let report = run_request(
            RunRequest::single(JavaScript, code.as_str())
                .with_stdin("Léa\n")
                .asking(1),
        )
        .await;
        assert_eq!(report.stdout, "Salut\nBonjour Léa\n", "{question}");
    }
}

#[tokio::test]
async fn without_asking_the_end_of_the_input_is_read_as_before() {
    let report = run_with_stdin(Python, GREETING, "").await;
    assert_eq!(report.status, RunStatus::Exited);
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("EOFError"), "{}", report.stderr);
    let report = run_with_stdin(JavaScript, "console.log(prompt('? '));\n", "").await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.stdout, "null\n");

    // Reading the whole input is no question, even in an interactive run.
    let code = "import sys\nprint(len(sys.stdin.read()))\n";
    let report = run_request(RunRequest::single(Python, code).with_stdin("abc").asking(1)).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.stdout, "3\n");
}

#[tokio::test]
async fn replays_with_one_seed_draw_the_same_numbers() {
    let programs = [
        (
            Python,
            "import random\nprint(random.randint(1, 10**9), random.random())\n",
        ),
        (JavaScript, "console.log(Math.random(), Math.random());\n"),
    ];
    for (language, code) in programs {
        let draw = |seed| run_request(RunRequest::single(language, code).asking(seed));
        let first = draw(42).await;
        assert!(first.succeeded(), "{first:?}");
        assert_eq!(first.stdout, draw(42).await.stdout, "{language}");
        assert_ne!(first.stdout, draw(43).await.stdout, "{language}");
        // Without a seed, each run draws its own.
        let fresh = run_request(RunRequest::single(language, code)).await;
        let again = run_request(RunRequest::single(language, code)).await;
        assert_ne!(fresh.stdout, again.stdout, "{language}");
    }
}

#[tokio::test]
async fn a_flood_of_prompts_is_capped() {
    let code = "for i in range(1000):\n    input('x' * 5000)\n";
    let stdin = "\n".repeat(1000);
    let report = run_with_stdin(Python, code, &stdin).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(report.prompts.len(), 200);
    assert!(report.prompts.iter().all(|p| p.text.len() == 1000));

    // A prompt is cleaned as the output is: no terminal escape, no control
    // character, and cut between two characters.
    let code = "input('\\x1b]52;c;SGVsbG8=\\x07\\x1b[2J? \\x00')\ninput('é' * 600)\n";
    let report = run_with_stdin(Python, code, "\n\n").await;
    assert_eq!(report.prompts[0].text, "? ", "{report:?}");
    assert_eq!(report.prompts[1].text, "é".repeat(500));
}
