//! Steps after a run in the same instance: reruns with a new input, and
//! evaluations whose values the guests read natively, by exact type,
//! whatever the program did to its interpreter.

mod common;

use common::sandbox;
use fabrique_sandbox::{
    Evaluation, Language, RunReport, RunRequest, RunStatus, SandboxError, Step, Value,
};

fn evaluate(expression: &str) -> Step {
    Step::Evaluate {
        setup: String::new(),
        expression: expression.into(),
    }
}

async fn run(language: Language, code: &str, stdin: &str, steps: Vec<Step>) -> RunReport {
    let mut request = RunRequest::single(language, code).with_stdin(stdin);
    request.steps = steps;
    sandbox().run(request).await.expect("ran")
}

fn value(report: &RunReport, step: usize) -> &Value {
    match &report.steps[step].evaluation {
        Some(Evaluation::Value(value)) => value,
        other => panic!("step {step}: {other:?} in {report:#?}"),
    }
}

fn int(n: i64) -> Value {
    Value::Int(n.to_string())
}

#[tokio::test]
async fn python_reruns_read_their_own_input_and_evaluations_see_the_last_run() {
    let code = "n = int(input())\nprint('lu', n)\ndef double(x):\n    return 2 * x\n";
    let steps = vec![
        evaluate("double(n)"),
        Step::Rerun {
            stdin: "7\n8\n".into(),
        },
        Step::Evaluate {
            setup: "m = n + 1".into(),
            expression: "(n, m, [double(1)], {'a': None}, {1.5}, 'é')".into(),
        },
        evaluate("1 / 0"),
        evaluate("undefined_name"),
    ];
    let report = run(Language::Python, code, "5\n6\n", steps).await;
    assert_eq!(report.stdout, "lu 5\n");
    assert_eq!(value(&report, 0), &int(10));
    assert_eq!(
        report.steps[1].stdout, "lu 7\n",
        "the rerun reads its own input"
    );
    assert_eq!(
        value(&report, 2),
        &Value::Tuple(vec![
            int(7),
            int(8),
            Value::List(vec![int(2)]),
            Value::Dict(vec![(Value::Str("a".into()), Value::Null)]),
            Value::Set(vec![Value::Float(1.5)]),
            Value::Str("é".into()),
        ])
    );
    for step in [3, 4] {
        let Some(Evaluation::Error(error)) = &report.steps[step].evaluation else {
            panic!("{report:#?}")
        };
        assert!(error.contains("Error"), "{error}");
    }
}

#[tokio::test]
async fn python_values_are_read_by_exact_type_whatever_the_program_patched() {
    let code = "\
import builtins
class Toujours:
    def __eq__(self, other):
        return True
class N(int):
    pass
builtins.isinstance = lambda *a: True
builtins.repr = lambda o: '42'
cycle = []
cycle.append(cycle)
";
    let steps = vec![
        evaluate("Toujours()"),
        evaluate("N(3)"),
        evaluate("True"),
        evaluate("cycle"),
        evaluate("map(str, [1])"),
        evaluate("2 ** 100"),
    ];
    let report = run(Language::Python, code, "", steps).await;
    assert_eq!(value(&report, 0), &Value::Other("Toujours".into()));
    assert_eq!(value(&report, 1), &Value::Other("N".into()));
    assert_eq!(value(&report, 2), &Value::Bool(true));
    assert_eq!(
        value(&report, 3),
        &Value::Other("valeur trop grande".into())
    );
    assert_eq!(value(&report, 4), &Value::Other("map".into()));
    assert_eq!(
        value(&report, 5),
        &Value::Int("1267650600228229401496703205376".into())
    );
}

#[tokio::test]
async fn an_exit_during_a_step_ends_the_instance_and_the_steps_after_it() {
    let code = "import os\ndef stop():\n    os._exit(0)\n";
    let steps = vec![evaluate("stop()"), evaluate("1")];
    let report = run(Language::Python, code, "", steps).await;
    assert_eq!(report.steps.len(), 1, "{report:#?}");
    assert_eq!(report.steps[0].evaluation, None);
    let report = run(
        Language::Python,
        "import os\nos._exit(0)\n",
        "",
        vec![evaluate("1")],
    )
    .await;
    assert!(
        report.steps.is_empty(),
        "nothing runs after an exit: {report:#?}"
    );
    let looping = vec![
        evaluate("next(x for x in iter(int, 1) if x)"),
        evaluate("1"),
    ];
    let report = run(Language::Python, "", "", looping).await;
    assert_eq!(report.steps.len(), 1);
    assert_eq!(report.steps[0].status, RunStatus::TimeLimit);
}

#[tokio::test]
async fn javascript_values_are_read_without_calling_the_program() {
    let code = "\
function double(x) { return 2 * x; }
let appels = 0;
const piege = { get x() { appels++; return 1; }, valueOf() { appels++; return 42; } };
Object.defineProperty(Object.prototype, 'toJSON', { get() { appels++; return () => 42; } });
";
    let steps = vec![
        Step::Evaluate {
            setup: "const a = [double(1), 'é', null, undefined, true, 10n];".into(),
            expression: "a".into(),
        },
        evaluate("({ b: 1, a: [2] })"),
        evaluate("new Map([['k', new Set([1])]])"),
        evaluate("piege"),
        evaluate("new Proxy([1], {})"),
        evaluate("appels"),
        evaluate("nope()"),
    ];
    let report = run(Language::JavaScript, code, "", steps).await;
    assert_eq!(
        value(&report, 0),
        &Value::List(vec![
            Value::Float(2.0),
            Value::Str("é".into()),
            Value::Null,
            Value::Undefined,
            Value::Bool(true),
            int(10),
        ])
    );
    assert_eq!(
        value(&report, 1),
        &Value::Object(vec![
            ("b".into(), Value::Float(1.0)),
            ("a".into(), Value::List(vec![Value::Float(2.0)])),
        ])
    );
    assert_eq!(
        value(&report, 2),
        &Value::Dict(vec![(
            Value::Str("k".into()),
            Value::Set(vec![Value::Float(1.0)])
        )])
    );
    let Value::Object(entries) = value(&report, 3) else {
        panic!("{report:#?}")
    };
    assert_eq!(entries[0], ("x".into(), Value::Other("accessor".into())));
    assert_eq!(value(&report, 4), &Value::Other("object".into()));
    assert_eq!(
        value(&report, 5),
        &Value::Float(0.0),
        "no getter, valueOf or toJSON ran"
    );
    assert!(
        matches!(&report.steps[6].evaluation, Some(Evaluation::Error(e)) if e.contains("nope"))
    );
}

#[tokio::test]
async fn a_javascript_program_cannot_be_rerun() {
    let mut request = RunRequest::single(Language::JavaScript, "1");
    request.steps = vec![Step::Rerun {
        stdin: String::new(),
    }];
    assert!(matches!(
        sandbox().run(request).await,
        Err(SandboxError::InvalidRequest(_))
    ));
}
