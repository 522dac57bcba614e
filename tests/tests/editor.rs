//! The lessons' code editor (CodeMirror, served by Fabrique itself), in
//! headless Chromium: it loads with no request leaving the server, shows
//! the line of an error, lets the keyboard out (Escape then Tab), and the
//! lesson page, a run's result and a submission's result have no WCAG 2.1
//! AA violation that axe-core finds.

use fabrique_tests::{
    Visit, accessibility_violations, click, element, set_code, sign_up, visit, wait_for_text,
};
use fantoccini::Client;
use fantoccini::elements::Element;
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::path::Path;

const EXERCISE: &str = "dec-pair-impair";

fn section() -> String {
    format!("#exercice-{EXERCISE}")
}

/// The code in the exercise's editor, as the page would send it.
async fn code(client: &Client) -> String {
    let code = client
        .execute(
            "return document.getElementById(arguments[0]).value;",
            vec![Value::from(format!("code-{EXERCISE}"))],
        )
        .await
        .unwrap();
    code.as_str().unwrap().to_owned()
}

/// What `script` returns, run with the exercise's section's selector as
/// `arguments[0]`.
async fn in_section(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![Value::from(section())])
        .await
        .unwrap()
}

/// Whether the focus is in the exercise's editor.
async fn focus_in_editor(client: &Client) -> bool {
    let script = "return document.querySelector(arguments[0] + ' .cm-editor').contains(document.activeElement);";
    in_section(client, script).await == json!(true)
}

/// How many lines the editor highlights as an error's.
async fn error_lines(client: &Client) -> Value {
    in_section(
        client,
        "return document.querySelectorAll(arguments[0] + ' .cm-error-line').length;",
    )
    .await
}

/// A server, and a browser where a learner who just signed up is on the
/// conditions lesson, its editor loaded; `None` when the browser tests
/// cannot run.
async fn on_the_lesson(name: &str) -> Option<Visit> {
    let visit = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await?;
    let (client, address) = (visit.client(), &visit.address);
    sign_up(client, address, name, &format!("{name}@exemple.fr")).await;
    client
        .goto(&format!(
            "{address}/parcours/decouverte/04-conditions/conditions"
        ))
        .await
        .unwrap();
    element(client, &format!("{} .cm-editor .cm-content", section())).await;
    Some(visit)
}

/// The exercise's editor, emptied and focused, to type in.
async fn empty_editor(client: &Client) -> Element {
    set_code(client, EXERCISE, "").await;
    let content = element(client, &format!("{} .cm-content", section())).await;
    content.click().await.unwrap();
    content
}

#[tokio::test]
async fn the_editor_is_served_by_fabrique_and_shows_the_line_of_an_error() {
    let Some(visit) = on_the_lesson("Awa").await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());

    // Every resource of the page came from this server: nothing from a CDN.
    let resources = client
        .execute(
            "return performance.getEntriesByType('resource').map(e => e.name);",
            vec![],
        )
        .await
        .unwrap();
    let resources: Vec<String> = serde_json::from_value(resources).unwrap();
    assert!(
        resources.iter().any(|r| r.ends_with("/static/editor.js")),
        "{resources:?}"
    );
    assert!(
        resources.iter().all(|r| r.starts_with(address)),
        "a request left the server: {resources:?}"
    );
    // The textarea is kept, hidden, as the editor's value; the editor is
    // named by the textarea's label.
    let named = client
        .execute(
            "const content = document.querySelector(arguments[0] + ' .cm-content'); \
             return [document.getElementById(content.getAttribute('aria-labelledby')).textContent, \
                     document.getElementById(arguments[1]).hidden];",
            vec![
                Value::from(section()),
                Value::from(format!("code-{EXERCISE}")),
            ],
        )
        .await
        .unwrap();
    assert_eq!(named, json!(["Ton code (Python)", true]));

    // Typed with the keyboard: the brackets close themselves.
    let content = empty_editor(client).await;
    content
        .send_keys(&format!("print(1){}def f(:", char::from(Key::Enter)))
        .await
        .unwrap();
    assert_eq!(code(client).await, "print(1)\ndef f(:)");
    click(client, &format!("{} button.run", section())).await;
    element(client, &format!("{} .result .explanation", section())).await;
    let marked = element(client, &format!("{} .cm-error-line", section())).await;
    assert_eq!(marked.text().await.unwrap(), "def f(:)");
    assert_eq!(
        error_lines(client).await,
        json!(1),
        "one line is highlighted"
    );

    // The next change of the code takes the highlight away.
    content.click().await.unwrap();
    content.send_keys(" ").await.unwrap();
    assert_eq!(error_lines(client).await, json!(0));
}

#[tokio::test]
async fn tab_indents_and_escape_then_tab_leaves_the_editor() {
    let Some(visit) = on_the_lesson("Nour").await else {
        return;
    };
    let client = visit.client();

    let content = empty_editor(client).await;
    // Enter after `:` indents the next line; Tab indents the line, in the
    // editor.
    content
        .send_keys(&format!("if True:{}pass", char::from(Key::Enter)))
        .await
        .unwrap();
    assert_eq!(code(client).await, "if True:\n    pass");
    content
        .send_keys(&char::from(Key::Tab).to_string())
        .await
        .unwrap();
    assert!(focus_in_editor(client).await, "Tab stays in the editor");
    assert_eq!(code(client).await, "if True:\n        pass");

    // Escape then Tab: the focus goes on, the code is unchanged.
    content
        .send_keys(&format!(
            "{}{}",
            char::from(Key::Escape),
            char::from(Key::Tab)
        ))
        .await
        .unwrap();
    assert!(!focus_in_editor(client).await, "Escape then Tab leaves");
    assert_eq!(code(client).await, "if True:\n        pass");
    let help = element(client, &format!("#aide-{EXERCISE}")).await;
    assert!(
        help.text().await.unwrap().contains("Échap puis Tab"),
        "the help text says how to leave"
    );
}

#[tokio::test]
async fn a_lesson_and_its_results_pass_axe_core() {
    let Some(visit) = on_the_lesson("Chloe").await else {
        return;
    };
    let client = visit.client();
    let result = format!("{} .result", section());

    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the lesson page: {violations:#?}");

    // A run's result, with an explained error and its line highlighted.
    set_code(client, EXERCISE, "n = 4\nif n % 2 == 0\n    print(n)\n").await;
    click(client, &format!("{} button.run", section())).await;
    wait_for_text(client, &result, "Il manque les deux-points").await;
    element(client, &format!("{} .cm-error-line", section())).await;
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "a run's result: {violations:#?}");

    // A submission's result, failed tests and their comparison shown.
    set_code(client, EXERCISE, "print('pair')\n").await;
    click(client, &format!("{} button.submit", section())).await;
    wait_for_text(client, &result, "Pas encore").await;
    let violations = accessibility_violations(client).await;
    assert!(
        violations.is_empty(),
        "a submission's result: {violations:#?}"
    );
}
