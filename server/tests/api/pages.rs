//! The HTML pages: language, forms, errors, security headers, and a lesson
//! whose file holds a script: it must not reach the page.

use crate::helpers::{csrf_of, spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn pages_are_in_french_by_default_and_in_english_on_request() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), StatusCode::OK);
    let policy = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"),
        "{policy}"
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"fr\">") && html.contains("Choisis ton parcours"));
    assert!(html.contains("Découverte du code"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing is fetched from outside"
    );

    let english = app
        .client
        .get(app.url("/"))
        .header("accept-language", "en-GB,en")
        .send()
        .await
        .unwrap();
    assert!(english.text().await.unwrap().contains("Choose your track"));
    let switched = app.get("/langue/en").await;
    assert!(switched.url().path() == "/", "back to the home page");
    assert!(
        app.get("/")
            .await
            .text()
            .await
            .unwrap()
            .contains("<html lang=\"en\">"),
        "the cookie keeps the choice"
    );
}

#[tokio::test]
async fn a_lesson_shows_its_exercises_without_their_solutions() {
    let mut app = spawn_app().await;
    let html = app
        .get("/parcours/decouverte/04-conditions/conditions")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-exercise=\"dec-pair-impair\""));
    assert_eq!(html.matches("<h1").count(), 1, "one title per page");
    assert!(
        html.contains("<label for=\"code-dec-pair-impair\""),
        "the editor has a label"
    );
    assert!(
        html.contains("role=\"status\" aria-live=\"polite\""),
        "results are announced"
    );
    assert!(
        !html.contains("est impair\")"),
        "no solution before success"
    );
    assert!(
        html.contains("pour exécuter et valider ton code"),
        "an anonymous visitor is invited to log in"
    );
    app.learner().await;
    let html = app
        .get("/parcours/decouverte/04-conditions/conditions")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("data-action=\"submit\""));
    let track = app.get("/parcours/decouverte").await.text().await.unwrap();
    assert!(
        track.contains("◐"),
        "the lesson opened is marked started: {track}"
    );
    let progress = app.get("/mon-parcours").await.text().await.unwrap();
    assert!(progress.contains("<table>") && progress.contains("Exercices réussis"));
}

#[tokio::test]
async fn forms_check_their_token_and_explain_errors_in_french() {
    let app = spawn_app().await;
    let form = app.get("/connexion").await.text().await.unwrap();
    let csrf = csrf_of(&form);
    let response = app
        .client
        .post(app.url("/connexion"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "personne@exemple.fr"),
            ("password", "mauvais mot"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("adresse e-mail ou mot de passe incorrect"),
        "{html}"
    );
    assert!(
        html.contains("value=\"personne@exemple.fr\""),
        "the email is kept"
    );

    let response = app
        .client
        .post(app.url("/inscription"))
        .form(&[
            ("csrf", "faux"),
            ("name", "Awa"),
            ("email", "awa@exemple.fr"),
            ("password", "un mot de passe"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let response = app
        .client
        .post(app.url("/inscription"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("name", "Awa"),
            ("email", "awa@exemple.fr"),
            ("password", "un mot de passe"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.url().path(), "/", "signed up, then back home");
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Se déconnecter (Awa)")
    );
}

#[tokio::test]
async fn unknown_pages_are_html_and_unknown_api_paths_json() {
    let app = spawn_app().await;
    let page = app.get("/parcours/decouverte/inconnu/inconnu").await;
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Page introuvable"));
    let api = app.get("/api/inconnu").await;
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = api.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_script_in_a_lesson_file_does_not_reach_the_page() {
    let content = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = content.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "t/track.toml",
        "format = 1\ntitle = \"T\"\nsummary = \"S\"\naudience = \"adults\"\nlanguage = \"fr\"\nplanned_hours = 1\nmodules = [\"m\"]\n",
    );
    write(
        "t/m/module.toml",
        "title = \"M\"\nsummary = \"S\"\nplanned_hours = 1\nlessons = [\"l\"]\n",
    );
    write(
        "t/m/l.md",
        "+++\ntitle = \"L\"\nduration_minutes = 5\nobjectives = [\"o\"]\n+++\n# Titre\n\n<script>alert('pirate')</script>\n\n[lien](javascript:alert(1))\n",
    );
    let path = content.path().to_owned();
    let app = spawn_app_with(move |settings| settings.content_dir = path).await;
    let html = app.get("/parcours/t/m/l").await.text().await.unwrap();
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("javascript:alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;"),
        "the raw HTML is shown as text"
    );
}

#[tokio::test]
async fn the_catalogue_counts_hours_in_lower_case() {
    let app = spawn_app().await;
    let home = app.get("/").await.text().await.unwrap();
    assert!(home.contains(" heures</p>"), "{home}");
    assert!(!home.contains("Heures</p>"), "{home}");
}

#[tokio::test]
async fn anonymous_page_views_write_no_session_and_forms_need_their_cookie() {
    let app = spawn_app().await;
    let pool = sqlx::AnyPool::connect(&app.database_url).await.unwrap();
    let sessions = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM sessions")
            .fetch_one(&pool)
            .await
            .unwrap()
    };
    // Twenty visitors, each a new browser, see the pages anyone may.
    for visitor in 0..20 {
        let browser = app.another_browser();
        let path = [
            "/",
            "/connexion",
            "/inscription",
            "/classe",
            "/parcours/decouverte",
        ][visitor % 5];
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(cookie.starts_with("fabrique_csrf="), "{cookie}");
        assert!(cookie.contains("SameSite=Strict") && cookie.contains("HttpOnly"));
    }
    assert_eq!(sessions().await, 0, "an anonymous view writes no session");

    // The login form's token is the cookie's: another browser's token is
    // refused, the right one signs in (and only then is a session written).
    let mut awa = app.another_browser();
    assert_eq!(awa.learner().await["user"]["name"], "Awa");
    let before = sessions().await;
    let visitor = app.another_browser();
    let stranger = app.another_browser();
    let stranger_token = csrf_of(&stranger.get("/connexion").await.text().await.unwrap());
    let own_token = csrf_of(&visitor.get("/connexion").await.text().await.unwrap());
    assert_ne!(own_token, stranger_token);
    let login = |token: String| {
        let visitor = &visitor;
        async move {
            visitor
                .client
                .post(visitor.url("/connexion"))
                .form(&[
                    ("csrf", token.as_str()),
                    ("email", "apprenante@exemple.fr"),
                    ("password", "un mot de passe"),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    assert_eq!(login(stranger_token).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(sessions().await, before);
    let response = login(own_token).await;
    assert!(response.status().is_redirection() || response.status() == StatusCode::OK);
    assert_eq!(sessions().await, before + 1);
    let home = visitor.get("/mon-parcours").await;
    assert_eq!(home.status(), StatusCode::OK);
}

#[tokio::test]
async fn scripts_and_styles_are_gzipped_pages_are_not() {
    let app = spawn_app().await;
    let gzip = |path: &'static str| {
        let app = &app;
        async move {
            app.client
                .get(app.url(path))
                .header("accept-encoding", "gzip")
                .send()
                .await
                .unwrap()
        }
    };
    for path in [
        "/static/app.js",
        "/static/app.css",
        "/static/trainer.js",
        "/static/editor.js",
    ] {
        let response = gzip(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert_eq!(response.headers()["content-encoding"], "gzip", "{path}");
        let plain = app.get(path).await;
        assert!(plain.headers().get("content-encoding").is_none(), "{path}");
        let (zipped, text) = (
            response.bytes().await.unwrap(),
            plain.bytes().await.unwrap(),
        );
        assert!(
            zipped.len() * 2 < text.len(),
            "{path}: {} of {}",
            zipped.len(),
            text.len()
        );
    }
    // A page holds the CSRF token: never compressed.
    let page = gzip("/connexion").await;
    assert!(page.headers().get("content-encoding").is_none());
}

/// The nonce a page's `<meta name="style-nonce">` gives its scripts.
fn style_nonce(html: &str) -> &str {
    let (_, rest) = html
        .split_once("<meta name=\"style-nonce\" content=\"")
        .expect("the page gives a style nonce");
    rest.split_once('"').unwrap().0
}

#[tokio::test]
async fn a_page_allows_only_the_styles_of_its_own_nonce() {
    let app = spawn_app().await;
    let lesson = "/parcours/decouverte/04-conditions/conditions";
    let mut nonces = Vec::new();
    for _ in 0..2 {
        let response = app.get(lesson).await;
        assert_eq!(response.status(), StatusCode::OK);
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_owned();
        let html = response.text().await.unwrap();
        let nonce = style_nonce(&html).to_owned();
        assert!(nonce.len() >= 32, "{nonce}");
        assert!(
            policy.contains(&format!("style-src 'self' 'nonce-{nonce}';")),
            "{policy}"
        );
        assert!(html.contains("<script src=\"/static/editor.js\" defer>"));
        nonces.push(nonce);
    }
    assert_ne!(nonces[0], nonces[1], "a nonce for each page");

    // What is not a page allows no inline style at all.
    for path in ["/api/tracks", "/static/editor.js"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(
            policy.contains("style-src 'self';") && !policy.contains("nonce"),
            "{path}: {policy}"
        );
    }
}

#[tokio::test]
async fn a_static_file_unchanged_since_the_browser_kept_it_is_not_sent_again() {
    let app = spawn_app().await;
    let first = app.get("/static/editor.js").await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()["vary"], "accept-encoding");
    let etag = first.headers()["etag"].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && etag.len() > 10, "{etag}");
    let revalidate = |tag: String| {
        let app = &app;
        async move {
            app.client
                .get(app.url("/static/editor.js"))
                .header("if-none-match", tag)
                .header("accept-encoding", "gzip")
                .send()
                .await
                .unwrap()
        }
    };
    let again = revalidate(etag.clone()).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(again.headers()["etag"], etag.as_str());
    assert!(again.bytes().await.unwrap().is_empty());
    let weak = revalidate(format!("\"other\", W/{etag}")).await;
    assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);
    // Another file's tag, or a stale one, gets the file.
    let app_js = app.get("/static/app.js").await.headers()["etag"].clone();
    assert_ne!(app_js.to_str().unwrap(), etag);
    let stale = revalidate(app_js.to_str().unwrap().to_owned()).await;
    assert_eq!(stale.status(), StatusCode::OK);
    assert_eq!(stale.headers()["content-encoding"], "gzip");
    // A client refusing gzip gets the plain file.
    let refused = app
        .client
        .get(app.url("/static/app.css"))
        .header("accept-encoding", "gzip;q=0, identity")
        .send()
        .await
        .unwrap();
    assert!(refused.headers().get("content-encoding").is_none());
}
