//! An exercise of several files, in headless Chromium: its files are tabs
//! (the ARIA tab pattern: arrow keys go from tab to tab), the read-only
//! `main.py` cannot be changed, an error is shown at its line in its
//! file's tab, the solution passes, and axe-core finds no WCAG 2.1 AA
//! violation in the tabs or in the submission's result.

use fabrique_tests::{
    accessibility_violations, click, element, set_code, sign_up, visit, wait_for_text,
};
use fantoccini::Client;
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::path::Path;

const EXERCISE: &str = "web-module-outils";

fn section() -> String {
    format!("#exercice-{EXERCISE}")
}

/// What `script` returns, run with the exercise's section's selector as
/// `arguments[0]`.
async fn in_section(client: &Client, script: &str) -> Value {
    client
        .execute(script, vec![Value::from(section())])
        .await
        .unwrap()
}

/// Each tab's name, whether it is selected, and whether its panel shows.
async fn tabs(client: &Client) -> Value {
    in_section(
        client,
        "return Array.from(document.querySelectorAll(arguments[0] + ' [role=tab]')).map(tab => \
           [tab.textContent, tab.getAttribute('aria-selected'), \
            !document.getElementById(tab.getAttribute('aria-controls')).hidden]);",
    )
    .await
}

async fn focused_tab(client: &Client) -> Value {
    client
        .execute("return document.activeElement.textContent;", vec![])
        .await
        .unwrap()
}

#[tokio::test]
async fn a_two_file_exercise_shows_its_files_as_tabs_and_grades_them_together() {
    let Some(visit) = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());
    sign_up(client, address, "Awa", "awa@exemple.fr").await;
    client
        .goto(&format!(
            "{address}/parcours/dev-web/04-fonctions/02-parametres-et-retour"
        ))
        .await
        .unwrap();
    element(client, &format!("{} [role=tablist] [role=tab]", section())).await;
    // The learner's file is shown first.
    let writing = json!([
        ["main.py (lecture seule)", "false", false],
        ["outils.py", "true", true]
    ]);
    assert_eq!(tabs(client).await, writing);

    // Arrow keys go from tab to tab, and only the selected tab is in the
    // Tab order.
    let second = element(client, &format!("#onglet-fichier-{EXERCISE}-2")).await;
    second
        .send_keys(&char::from(Key::Left).to_string())
        .await
        .unwrap();
    assert_eq!(focused_tab(client).await, json!("main.py (lecture seule)"));
    assert_eq!(
        tabs(client).await,
        json!([
            ["main.py (lecture seule)", "true", true],
            ["outils.py", "false", false]
        ])
    );
    let order = in_section(
        client,
        "return Array.from(document.querySelectorAll(arguments[0] + ' [role=tab]')).map(t => t.tabIndex);",
    )
    .await;
    assert_eq!(order, json!([0, -1]));
    let first = element(client, &format!("#onglet-fichier-{EXERCISE}-1")).await;
    first
        .send_keys(&char::from(Key::Right).to_string())
        .await
        .unwrap();
    assert_eq!(focused_tab(client).await, json!("outils.py"));
    assert_eq!(tabs(client).await, writing);
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the tabs: {violations:#?}");

    // main.py is read-only: typing in it changes nothing.
    client
        .execute(
            "document.activeElement.blur(); document.querySelector(arguments[0] + ' [role=tab]').click();",
            vec![Value::from(section())],
        )
        .await
        .unwrap();
    let main = element(client, &format!("#fichier-{EXERCISE}-1 .cm-content")).await;
    assert_eq!(
        main.attr("aria-readonly").await.unwrap().as_deref(),
        Some("true")
    );
    main.click().await.unwrap();
    main.send_keys("print('20/20')").await.unwrap();
    let text = client
        .execute(
            "return document.getElementById(arguments[0]).value;",
            vec![Value::from(format!("code-{EXERCISE}-1"))],
        )
        .await
        .unwrap();
    assert!(!text.as_str().unwrap().contains("20/20"), "{text}");

    // An error in outils.py: its tab comes back, its line is highlighted.
    set_code(
        client,
        &format!("{EXERCISE}-2"),
        "TAUX_TVA = 20\n\ndef prix_ttc(prix_ht):\n    return prix_ht / 0\n",
    )
    .await;
    click(client, &format!("{} button.submit", section())).await;
    let result = format!("{} .result", section());
    wait_for_text(client, &result, "Dans le fichier outils.py").await;
    let marked = element(client, &format!("#fichier-{EXERCISE}-2 .cm-error-line")).await;
    assert_eq!(marked.text().await.unwrap(), "    return prix_ht / 0");
    assert_eq!(tabs(client).await[1][1], json!("true"));

    set_code(
        client,
        &format!("{EXERCISE}-2"),
        "TAUX_TVA = 20\n\ndef prix_ttc(prix_ht):\n    return round(prix_ht * (1 + TAUX_TVA / 100), 2)\n",
    )
    .await;
    click(client, &format!("{} button.submit", section())).await;
    wait_for_text(client, &result, "Bravo").await;
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the result: {violations:#?}");
}
