//! A SQL exercise in headless Chromium: a trainee runs a query and sees its
//! result as a table, submits a query that forgets `GROUP BY`, reads the
//! French explanation, fixes it and passes; axe-core finds no WCAG 2.1 AA
//! violation in the page with its results.

use fabrique_tests::{
    accessibility_violations, click, element, set_code, sign_up, visit, wait_for_text,
};
use fantoccini::Locator;
use std::path::Path;

const EXERCISE: &str = "sql-moyenne-par-ligne";
const WITHOUT_GROUP_BY: &str =
    "SELECT ligne, COUNT(*) AS trajets, ROUND(AVG(voyageurs), 1) AS moyenne\nFROM trajets;";
const WITH_GROUP_BY: &str = "SELECT ligne, COUNT(*) AS trajets, ROUND(AVG(voyageurs), 1) AS moyenne\nFROM trajets\nGROUP BY ligne;";

#[tokio::test]
async fn a_trainee_runs_a_query_sees_the_table_and_fixes_a_group_by() {
    let Some(visit) = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());
    sign_up(client, address, "Karim", "karim@exemple.fr").await;
    client
        .goto(&format!(
            "{address}/parcours/dev-web/sql-03-agregats/02-grouper"
        ))
        .await
        .unwrap();
    let section = format!("#exercice-{EXERCISE}");
    assert!(
        client
            .find(Locator::Css(&format!("{section} textarea.stdin")))
            .await
            .is_err(),
        "a query reads no input"
    );

    // The run shows the result as a table, with its line and row count.
    set_code(client, EXERCISE, WITHOUT_GROUP_BY).await;
    click(client, &format!("{section} button.run")).await;
    let result = format!("{section} .result");
    wait_for_text(client, &result, "Résultats").await;
    let caption = element(client, &format!("{result} .sql-table caption")).await;
    assert_eq!(caption.text().await.unwrap(), "Ligne 1 : 1 ligne");
    let headers = client
        .find_all(Locator::Css(&format!("{result} .sql-table th")))
        .await
        .unwrap();
    let mut names = Vec::new();
    for header in headers {
        names.push(header.text().await.unwrap());
    }
    assert_eq!(names, ["ligne", "trajets", "moyenne"]);
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the results: {violations:#?}");

    // Submitted, the query fails, and the explanation names GROUP BY.
    click(client, &format!("{section} button.submit")).await;
    let text = wait_for_text(client, &result, "Pas encore").await;
    assert!(text.contains("Il manque GROUP BY"), "{text}");
    assert!(text.contains("GROUP BY ligne"), "{text}");
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the failure: {violations:#?}");

    // Fixed as the explanation says, it passes, and the run shows a row
    // for each bus line.
    set_code(client, EXERCISE, WITH_GROUP_BY).await;
    click(client, &format!("{section} button.submit")).await;
    wait_for_text(client, &result, "Bravo").await;
    click(client, &format!("{section} button.run")).await;
    wait_for_text(client, &result, "Résultats").await;
    let caption = element(client, &format!("{result} .sql-table caption")).await;
    let caption = caption.text().await.unwrap();
    assert!(
        caption.starts_with("Ligne 1 : ") && caption.ends_with(" lignes"),
        "{caption}"
    );
}
