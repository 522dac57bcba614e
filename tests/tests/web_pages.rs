//! A web page exercise in headless Chromium: the preview shows the page
//! as the learner types, at the widths to try; a script in the learner's
//! page does not run, and the page cannot reach Fabrique's page; a
//! submission gets a French failure, then passes once fixed; axe-core
//! finds no WCAG 2.1 AA violation.

use fabrique_tests::{
    accessibility_violations, click, element, set_code, sign_up, visit, wait_for_text,
};
use fantoccini::Client;
use fantoccini::Locator;
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

const EXERCISE: &str = "page-relier-css";

fn section() -> String {
    format!("#exercice-{EXERCISE}")
}

const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Château de l'Hospitalet</title>\nLINK\n</head>\n<body>\n<h1>Château de l'Hospitalet</h1>\n<p>Un domaine viticole.</p>\nEXTRA\n</body>\n</html>\n";

fn page(link: bool, extra: &str) -> String {
    PAGE.replace(
        "LINK",
        if link {
            "<link rel=\"stylesheet\" href=\"style.css\">"
        } else {
            ""
        },
    )
    .replace("EXTRA", extra)
}

/// The colour the preview shows the page's title in, read inside the
/// preview's frame by the browser itself (no script runs there).
async fn title_colour(client: &Client) -> String {
    let frame = element(client, &format!("{} iframe.preview-frame", section())).await;
    frame.enter_frame().await.unwrap();
    let colour = match client.find(Locator::Css("h1")).await {
        Ok(title) => title.css_value("color").await.unwrap_or_default(),
        Err(_) => String::new(),
    };
    client.enter_parent_frame().await.unwrap();
    colour
}

/// Waits until the preview's title has `colour`.
async fn wait_for_colour(client: &Client, colour: &str) {
    let started = Instant::now();
    loop {
        let now = title_colour(client).await;
        if now == colour {
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the preview's title stayed {now}, not {colour}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn a_trainee_writes_a_page_sees_it_and_gets_it_graded() {
    let Some(visit) = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());
    sign_up(client, address, "Inès", "ines@exemple.fr").await;
    client
        .goto(&format!(
            "{address}/parcours/dev-web/page-02-css/01-premieres-regles"
        ))
        .await
        .unwrap();
    // The preview is a frame that allows nothing, and a page is not run.
    let frame = element(client, &format!("{} iframe.preview-frame", section())).await;
    assert_eq!(frame.attr("sandbox").await.unwrap().as_deref(), Some(""));
    assert!(
        client
            .find(Locator::Css(&format!("{} button.run", section())))
            .await
            .is_err(),
        "a web page has no « Exécuter » button"
    );
    wait_for_colour(client, "rgba(0, 0, 0, 1)").await;

    // Typing a style sheet that the page does not link changes nothing;
    // linking it does.
    let css = "h1 {\n  color: darkred;\n}\n\np {\n  color: #333333;\n}\n";
    set_code(client, &format!("{EXERCISE}-2"), css).await;
    set_code(client, &format!("{EXERCISE}-1"), &page(false, "")).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(title_colour(client).await, "rgba(0, 0, 0, 1)");
    set_code(client, &format!("{EXERCISE}-1"), &page(true, "")).await;
    wait_for_colour(client, "rgba(139, 0, 0, 1)").await;

    // The widths to try.
    click(
        client,
        &format!("{} .preview-widths button:nth-child(3)", section()),
    )
    .await;
    let width = client
        .execute(
            "return document.querySelector(arguments[0]).getBoundingClientRect().width;",
            vec![Value::from(format!("{} iframe.preview-frame", section()))],
        )
        .await
        .unwrap();
    assert_eq!(width.as_f64(), Some(1280.0));
    let violations = accessibility_violations(client).await;
    assert!(
        violations.is_empty(),
        "the lesson with its preview: {violations:#?}"
    );

    // A script in the learner's page does not run, and the page cannot
    // reach Fabrique's page.
    let hostile = "<script>document.querySelector('h1').textContent = 'piraté'; \
                   parent.document.body.setAttribute('data-touched', 'oui');</script>\
                   <img src=\"x\" alt=\"\" onerror=\"parent.document.title = 'piraté'\">";
    set_code(client, &format!("{EXERCISE}-1"), &page(true, hostile)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let frame = element(client, &format!("{} iframe.preview-frame", section())).await;
    frame.enter_frame().await.unwrap();
    let title = client
        .find(Locator::Css("h1"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    client.enter_parent_frame().await.unwrap();
    assert_eq!(title, "Château de l'Hospitalet");
    let touched = client
        .execute(
            "return [document.body.getAttribute('data-touched'), document.title];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(touched[0], Value::Null);
    assert_ne!(touched[1], Value::from("piraté"));

    // A submission with a mistake is explained in French, then passes.
    set_code(
        client,
        &format!("{EXERCISE}-2"),
        "h1 {\n  colour: darkred;\n}\n\np {\n  color: #333333;\n}\n",
    )
    .await;
    set_code(client, &format!("{EXERCISE}-1"), &page(true, "")).await;
    click(client, &format!("{} button.submit", section())).await;
    let result = format!("{} .result", section());
    let text = wait_for_text(client, &result, "Pas encore").await;
    assert!(text.contains("Voulais-tu écrire `color` ?"), "{text}");
    let marked = element(client, &format!("#fichier-{EXERCISE}-2 .cm-error-line")).await;
    assert_eq!(marked.text().await.unwrap(), "  colour: darkred;");
    let violations = accessibility_violations(client).await;
    assert!(violations.is_empty(), "the failure: {violations:#?}");

    set_code(client, &format!("{EXERCISE}-2"), css).await;
    click(client, &format!("{} button.submit", section())).await;
    wait_for_text(client, &result, "Bravo").await;
}
