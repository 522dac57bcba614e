//! A new learner, in headless Chromium: signs up, opens a lesson, runs code,
//! submits a wrong answer then a right one (sees the French explanation,
//! then the success), reloads and finds the draft and the progress. A pupil
//! draws a square with the turtle and sees it as SVG. And a run refused by a
//! full sandbox is sent again after the wait the server asks for.

use fabrique_tests::{click, set_code, sign_up, visit, visit_with, wait_for_text};
use fantoccini::Locator;
use serde_json::{Value, json};
use std::path::Path;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn a_new_learner_solves_an_exercise_in_the_browser() {
    let Some(visit) = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());

    sign_up(client, address, "Inès", "ines@exemple.fr").await;

    // Open a lesson and run code with an input.
    let lesson = format!("{address}/parcours/decouverte/04-conditions/conditions");
    client.goto(&lesson).await.unwrap();
    let exercise = "dec-pair-impair";
    let section = format!("#exercice-{exercise}");
    set_code(
        client,
        exercise,
        "n = int(input())\nprint('double :', 2 * n)\n",
    )
    .await;
    client
        .execute(
            "document.getElementById(arguments[0]).value = '21';",
            vec![Value::from(format!("entree-{exercise}"))],
        )
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!("{section} button.run")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(client, &format!("{section} .result"), "double : 42").await;
    assert!(result.contains("Programme terminé"), "{result}");

    // A wrong answer: the French explanation.
    let wrong = "nombre = int(input())\nif nombre % 2 == 0\n    print(nombre, \"est pair\")\n";
    set_code(client, exercise, wrong).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(
        client,
        &format!("{section} .result"),
        "Il manque les deux-points",
    )
    .await;
    assert!(result.contains("Pas encore"), "{result}");

    // The right answer: the success.
    let right = "nombre = int(input())\nif nombre % 2 == 0:\n    print(nombre, \"est pair\")\nelse:\n    print(nombre, \"est impair\")\n";
    set_code(client, exercise, right).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(client, &format!("{section} .result"), "Bravo").await;
    assert!(result.contains("Exercice réussi"), "{result}");

    // Reload: the draft and the progress are there.
    client.refresh().await.unwrap();
    let code = client
        .execute(
            "return document.getElementById(arguments[0]).value;",
            vec![Value::from(format!("code-{exercise}"))],
        )
        .await
        .unwrap();
    assert_eq!(code.as_str(), Some(right));
    wait_for_text(client, &section, "Exercice réussi !").await;
    client
        .goto(&format!("{address}/mon-parcours"))
        .await
        .unwrap();
    wait_for_text(client, "main", "Conditions").await;
    let row = client
        .execute(
            "return Array.from(document.querySelectorAll('tbody tr')).map(r => r.innerText).join('\\n');",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        row.as_str().is_some_and(|rows| rows.contains("1 / 4")),
        "{row}"
    );
}

#[tokio::test]
async fn a_pupil_draws_a_square_with_the_turtle() {
    let Some(visit) = visit(Path::new(env!("CARGO_TARGET_TMPDIR"))).await else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.as_str());
    sign_up(client, address, "Léo", "leo@exemple.fr").await;

    client
        .goto(&format!(
            "{address}/parcours/decouverte/01-afficher/premier-programme"
        ))
        .await
        .unwrap();
    let exercise = "dec-tortue-carre";
    let section = format!("#exercice-{exercise}");
    let square =
        "import turtle\nfor i in range(4):\n    turtle.forward(100)\n    turtle.left(90)\n";
    set_code(client, exercise, square).await;
    client
        .find(Locator::Css(&format!("{section} button.submit")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let result = wait_for_text(client, &format!("{section} .result"), "Bravo").await;
    assert!(result.contains("Exercice réussi"), "{result}");
    assert!(result.contains("Dessin : 4 traits"), "{result}");

    let svg = format!("{section} .result figure.drawing svg");
    let lines = client
        .execute(
            "const svg = document.querySelector(arguments[0]); \
             return [svg.querySelectorAll('line').length, svg.getAttribute('role'), svg.getAttribute('aria-label')];",
            vec![Value::from(svg.clone())],
        )
        .await
        .unwrap();
    assert_eq!(lines, json!([4, "img", "Dessin : 4 traits"]));

    // Skipping the animation shows every line and moves the focus on.
    if let Ok(skip) = client
        .find(Locator::Css(&format!("{section} button.skip-animation")))
        .await
    {
        // The animation may end between finding the button and clicking it.
        let _ = skip.click().await;
    }
    let hidden = client
        .execute(
            "return Array.from(document.querySelectorAll(arguments[0] + ' line'))\
             .filter(l => getComputedStyle(l).visibility === 'hidden').length;",
            vec![Value::from(svg)],
        )
        .await
        .unwrap();
    assert_eq!(hidden, json!(0));
    let download = client
        .find(Locator::Css(&format!("{section} a.download")))
        .await
        .unwrap();
    assert_eq!(
        download.attr("download").await.unwrap().as_deref(),
        Some("dessin.svg")
    );
    assert!(
        download
            .attr("href")
            .await
            .unwrap()
            .is_some_and(|href| href.starts_with("data:image/svg+xml"))
    );
}

#[tokio::test]
async fn runs_refused_by_a_full_sandbox_or_a_program_still_running_are_sent_again() {
    // One run thread and no queue: a second run while one is going is
    // refused with 503 and Retry-After.
    let Some(visit) = visit_with(Path::new(env!("CARGO_TARGET_TMPDIR")), |settings| {
        settings.sandbox_workers = Some(1);
        settings.sandbox_queue = Some(0);
    })
    .await
    else {
        return;
    };
    let (client, address) = (visit.client(), visit.address.to_owned());
    sign_up(client, &address, "Yanis", "yanis@exemple.fr").await;
    let exercise = "dec-pair-impair";
    let section = format!("#exercice-{exercise}");
    client
        .goto(&format!(
            "{address}/parcours/decouverte/04-conditions/conditions"
        ))
        .await
        .unwrap();
    set_code(client, exercise, "print('enfin libre')\n").await;

    // Another learner's run takes the only thread for three seconds: this
    // one is refused with 503, and sent again after the wait.
    let occupant = tokio::spawn(another_learners_run(
        address.clone(),
        "import time\ntime.sleep(3)\n",
    ));
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    click(client, &format!("{section} button.run")).await;
    let result = wait_for_text(
        client,
        &format!("{section} .result"),
        "Beaucoup de monde en même temps : nouvel essai dans 2 s",
    )
    .await;
    assert!(!result.contains("enfin libre"), "{result}");
    let result = wait_for_text(client, &format!("{section} .result"), "enfin libre").await;
    assert!(result.contains("Programme terminé"), "{result}");
    let answer = occupant.await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the first run was run as usual: {answer}"
    );

    // The learner's own program still running (from another tab): the run
    // is refused with 429, and sent again once it has ended.
    client
        .execute(
            "window.occupant = fetch('/api/run', { method: 'POST', credentials: 'same-origin', \
               headers: { 'Content-Type': 'application/json', \
                 'X-CSRF-Token': document.querySelector('meta[name=\"csrf-token\"]').content }, \
               body: JSON.stringify({ language: 'python', code: 'import time\\ntime.sleep(2)\\nprint(1)\\n', stdin: '' }) \
             }).then(function (r) { window.occupantStatus = r.status; });",
            vec![],
        )
        .await
        .unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    set_code(client, exercise, "print('mon tour')\n").await;
    click(client, &format!("{section} button.run")).await;
    wait_for_text(
        client,
        &format!("{section} .result"),
        "Ton programme précédent tourne encore",
    )
    .await;
    let result = wait_for_text(client, &format!("{section} .result"), "mon tour").await;
    assert!(result.contains("Programme terminé"), "{result}");
    let occupant = client
        .execute("return window.occupantStatus;", vec![])
        .await
        .unwrap();
    assert_eq!(occupant, json!(200), "the first run was run as usual");
}

/// Sends one HTTP/1.1 request on a connection of its own; returns the
/// whole answer, head and body.
async fn raw_http(address: &str, request: String) -> String {
    let mut stream = tokio::net::TcpStream::connect(address.trim_start_matches("http://"))
        .await
        .unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    answer
}

fn json_post(path: &str, headers: &str, body: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{headers}\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

/// Another learner signs up through the API and runs `code`; returns the
/// run's answer.
async fn another_learners_run(address: String, code: &str) -> String {
    let account =
        json!({"email": "autre@exemple.fr", "password": "un mot de passe", "name": "Autre"});
    let answer = raw_http(
        &address,
        json_post("/api/auth/register", "", &account.to_string()),
    )
    .await;
    let (head, body) = answer.split_once("\r\n\r\n").unwrap();
    let cookie = head
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .and_then(|cookie| cookie.split(';').next())
        .expect("a session cookie")
        .to_owned();
    let signed: Value = serde_json::from_str(body).unwrap();
    let csrf = signed["csrf_token"].as_str().unwrap();
    let run = json!({"language": "python", "code": code, "stdin": ""});
    raw_http(
        &address,
        json_post(
            "/api/run",
            &format!("Cookie: {cookie}\r\nX-CSRF-Token: {csrf}\r\n"),
            &run.to_string(),
        ),
    )
    .await
}
