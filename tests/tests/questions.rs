//! Programs that ask questions, in headless Chromium: the program's output
//! so far and its question are shown, a field under them takes the answer,
//! Enter sends it and the program goes on (run again with the answers,
//! drawing the same random numbers), in Python and in JavaScript.

use fabrique_tests::{
    Visit, accessibility_violations, click, element, set_code, sign_up, visit, wait_for_text,
};
use fantoccini::Client;
use fantoccini::key::Key;
use std::path::Path;

/// A server, and a browser where a learner who just signed up is on
/// `lesson`, its editors loaded; `None` when the browser tests cannot run.
async fn learner_on(name: &str, lesson: &str) -> Option<Visit> {
    let visit = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await?;
    let (client, address) = (visit.client(), &visit.address);
    sign_up(client, address, name, &format!("{name}@exemple.fr")).await;
    client.goto(&format!("{address}{lesson}")).await.unwrap();
    element(client, ".cm-editor .cm-content").await;
    Some(visit)
}

/// Waits for the answer field of `exercise`, checks the question shown
/// above it, types `answer` and presses Enter.
async fn answer(client: &Client, exercise: &str, question: &str, answer: &str) {
    let field = element(client, &format!("#reponse-{exercise}")).await;
    wait_for_text(
        client,
        &format!("#exercice-{exercise} .result pre.output .prompt"),
        question.trim_end(),
    )
    .await;
    field
        .send_keys(&format!("{answer}{}", char::from(Key::Enter)))
        .await
        .unwrap();
}

async fn output(client: &Client, exercise: &str, needle: &str) -> String {
    let result = format!("#exercice-{exercise} .result");
    wait_for_text(client, &result, "Programme terminé").await;
    wait_for_text(client, &format!("{result} pre.output"), needle).await
}

#[tokio::test]
async fn a_pupil_answers_the_questions_of_a_python_program() {
    let Some(visit) = learner_on("Lea", "/parcours/decouverte/03-demander/demander").await else {
        return;
    };
    let client = visit.client();
    let exercise = "dec-salut-prenom";

    set_code(
        client,
        exercise,
        "prenom = input(\"Ton prénom ? \")\nprint(\"Bonjour\", prenom)\n",
    )
    .await;
    click(client, &format!("#exercice-{exercise} button.run")).await;
    answer(client, exercise, "Ton prénom ? ", "Léa").await;
    let shown = output(client, exercise, "Bonjour Léa").await;
    assert_eq!(shown, "Ton prénom ? Léa\nBonjour Léa");
    // The answer field is gone: the focus is on the result, not lost.
    let focused = client
        .execute(
            "return document.activeElement.matches(arguments[0]);",
            vec![serde_json::Value::from(format!(
                "#exercice-{exercise} .result"
            ))],
        )
        .await
        .unwrap();
    assert_eq!(focused, serde_json::json!(true));

    // The grader answers the questions, and checks only what is printed.
    set_code(
        client,
        exercise,
        "prenom = input(\"Comment t'appelles-tu ? \")\nprint(\"Salut\", prenom, \"!\")\n",
    )
    .await;
    click(client, &format!("#exercice-{exercise} button.submit")).await;
    wait_for_text(client, &format!("#exercice-{exercise} .result"), "Bravo").await;

    // Three questions in a loop, and a random number drawn before them that
    // every replay draws again.
    set_code(
        client,
        exercise,
        "import random\nsecret = random.randint(1, 10**6)\nprint('Tirage', secret)\n\
         for i in range(3):\n    n = int(input('Un nombre ? '))\n    print(n * 2)\n\
         print('Tirage', secret)\n",
    )
    .await;
    click(client, &format!("#exercice-{exercise} button.run")).await;
    answer(client, exercise, "Un nombre ? ", "1").await;
    answer(client, exercise, "Un nombre ? ", "2").await;
    // The page with its answer field has no accessibility violation.
    element(client, &format!("#reponse-{exercise}")).await;
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "a question: {violations:#?}");
    answer(client, exercise, "Un nombre ? ", "3").await;
    let shown = output(client, exercise, "6").await;
    let lines: Vec<&str> = shown.lines().collect();
    assert_eq!(
        lines[1..4],
        ["Un nombre ? 1", "2", "Un nombre ? 2"],
        "{shown}"
    );
    assert_eq!(lines[lines.len() - 1], lines[0], "the same draw: {shown}");
    assert!(lines[0].starts_with("Tirage "), "{shown}");
}

#[tokio::test]
async fn a_learner_answers_a_javascript_prompt() {
    let Some(visit) = learner_on(
        "Samia",
        "/parcours/dev-web/01-valeurs-variables/02-variables-et-saisie",
    )
    .await
    else {
        return;
    };
    let client = visit.client();
    let exercise = "web-bonjour-prenom";
    set_code(
        client,
        exercise,
        "const prenom = prompt(\"Ton prénom ? \");\nconsole.log(\"Bonjour \" + prenom);\n",
    )
    .await;
    click(client, &format!("#exercice-{exercise} button.run")).await;
    answer(client, exercise, "Ton prénom ? ", "Léa").await;
    let shown = output(client, exercise, "Bonjour Léa").await;
    assert_eq!(shown, "Ton prénom ? Léa\nBonjour Léa");
}

#[tokio::test]
async fn a_program_reading_to_the_end_of_its_input_is_ended_by_the_learner() {
    let Some(visit) = learner_on("Ines", "/parcours/decouverte/03-demander/demander").await else {
        return;
    };
    let client = visit.client();
    let exercise = "dec-addition";
    set_code(
        client,
        exercise,
        concat!(
            "total = 0\nwhile True:\n    try:\n        total += int(input('Nombre ? '))\n",
            "    except EOFError:\n        break\nprint('Total', total)\n",
        ),
    )
    .await;
    click(client, &format!("#exercice-{exercise} button.run")).await;
    answer(client, exercise, "Nombre ? ", "2").await;
    answer(client, exercise, "Nombre ? ", "3").await;
    element(client, &format!("#reponse-{exercise}")).await;
    click(client, &format!("#exercice-{exercise} button.end-input")).await;
    let shown = output(client, exercise, "Total 5").await;
    assert!(shown.starts_with("Nombre ? 2\nNombre ? 3\n"), "{shown}");
    assert!(
        client
            .find(fantoccini::Locator::Css(&format!("#reponse-{exercise}")))
            .await
            .is_err(),
        "no question is left"
    );

    // With lines in the « Entrée » box, the program reads them and no more.
    client
        .execute(
            "document.getElementById(arguments[0]).value = '10\\n20\\n';",
            vec![serde_json::Value::from(format!("entree-{exercise}"))],
        )
        .await
        .unwrap();
    click(client, &format!("#exercice-{exercise} button.run")).await;
    output(client, exercise, "Total 30").await;
}
