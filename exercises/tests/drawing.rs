//! Drawing tests: a turtle drawing compared with the reference solution's
//! (whatever the starting direction and turning side) and checked for
//! properties, with the French sentence that says what differs.

mod common;

use common::{exercise, grade_code, grade_solution};
use fabrique_exercises::TestStatus;

const SQUARE: &str = r#"+++
title = "Un carré"
language = "python"

[[tests]]
name = "Le même carré que le modèle"
drawing = "solution"
shape = "ton carré"

[[tests]]
name = "Un carré fermé de côté 100"
drawing = "shape"
closed = true
sides = 4
side_length = 100
shape = "ton carré"
+++

Dessine un carré de côté 100.

```python starter
import turtle
```

```python solution
import turtle

for _ in range(4):
    turtle.forward(100)
    turtle.left(90)
```
"#;

fn messages(report: &fabrique_exercises::GradeReport) -> Vec<String> {
    report
        .tests
        .iter()
        .map(|t| t.message.clone().unwrap_or_default())
        .collect()
}

#[tokio::test]
async fn a_correct_square_passes_whatever_its_start_and_turning_side() {
    let exercise = exercise(SQUARE);
    for code in [
        // As the solution, but with the pieces of one side drawn in two.
        "import turtle\nturtle.forward(40)\nturtle.forward(60)\nfor _ in range(3):\n    turtle.left(90)\n    turtle.forward(100)\n",
        // Heading north and turning right.
        "import turtle\nt = turtle.Turtle()\nt.setheading(90)\nfor _ in range(4):\n    t.forward(100)\n    t.right(90)\n",
        // Heading south-west, turning right, with the module's functions.
        "from turtle import *\nsetheading(225)\nfor _ in range(4):\n    fd(100)\n    rt(90)\n",
        // Backwards, turning left.
        "import turtle\nfor _ in range(4):\n    turtle.backward(100)\n    turtle.left(90)\n",
    ] {
        let report = grade_code(&exercise, code).await;
        assert!(report.passed, "{code}\n{report:#?}");
        let drawing = report.drawing.expect("the learner's drawing is reported");
        assert!(drawing.lines().count() >= 4);
    }
}

#[tokio::test]
async fn a_square_with_a_side_ten_percent_short_fails_with_the_difference() {
    let exercise = exercise(SQUARE);
    let code = "import turtle\nfor length in [100, 100, 100, 90]:\n    turtle.forward(length)\n    turtle.left(90)\n";
    let report = grade_code(&exercise, code).await;
    assert!(!report.passed);
    assert_eq!(report.tests[0].status, TestStatus::Fail);
    assert_eq!(report.tests[1].status, TestStatus::Fail);
    assert_eq!(
        messages(&report),
        [
            "Ton carré ne ressemble pas encore au modèle : ton trait de longueur 90 n'est pas au bon endroit, et il manque un trait de longueur 100.",
            "Un côté de ton carré mesure 90 au lieu de 100.",
        ]
    );

    let three = "import turtle\nfor _ in range(3):\n    turtle.forward(100)\n    turtle.left(90)\n";
    let report = grade_code(&exercise, three).await;
    assert_eq!(
        messages(&report),
        [
            "Ton carré a 3 traits au lieu de 4.",
            "Ton carré a 3 côtés au lieu de 4.",
        ]
    );
}

#[tokio::test]
async fn a_program_that_never_draws_fails_clearly() {
    let exercise = exercise(SQUARE);
    let report = grade_code(&exercise, "import turtle\nprint('Bonjour')\n").await;
    assert!(!report.passed);
    assert_eq!(report.output, "Bonjour\n");
    assert_eq!(report.drawing, None);
    for test in &report.tests {
        assert_eq!(test.status, TestStatus::Fail);
        assert_eq!(
            test.message.as_deref(),
            Some(
                "Ton programme n'a rien dessiné : fais avancer la tortue avec forward(), le crayon baissé (pendown())."
            )
        );
    }

    let report = grade_code(&exercise, "import turtle\nturtle.forward(\n").await;
    assert_eq!(report.tests[0].status, TestStatus::Error);
    assert!(report.explanation.is_some());
}

#[tokio::test]
async fn fills_closed_shapes_and_line_counts_are_checked() {
    let exercise = exercise(
        r#"+++
title = "Un soleil"
language = "python"

[[tests]]
name = "Rempli en jaune"
drawing = "shape"
fill = "yellow"

[[tests]]
name = "Au moins 10 traits"
drawing = "shape"
min_lines = 10
shape = "ton soleil"

[[tests]]
name = "Fermé"
drawing = "shape"
closed = true
shape = "ton soleil"
+++

Dessine un soleil.

```python starter
import turtle
```

```python solution
import turtle
turtle.fillcolor("yellow")
turtle.begin_fill()
turtle.circle(40)
turtle.end_fill()
```
"#,
    );
    let report = grade_solution(&exercise).await;
    assert!(report.passed, "{report:#?}");

    let red = "import turtle\nturtle.fillcolor('red')\nturtle.begin_fill()\nfor _ in range(3):\n    turtle.forward(50)\n    turtle.left(120)\nturtle.end_fill()\nturtle.left(90)\nturtle.forward(30)\n";
    let report = grade_code(&exercise, red).await;
    assert_eq!(
        messages(&report),
        [
            "Aucune forme n'est remplie en « yellow » : tes formes sont remplies en #ff0000.",
            "Ton soleil n'a que 4 traits : il en faut au moins 10.",
            "Ton soleil ne se referme pas : la tortue doit revenir à son point de départ.",
        ]
    );
}

#[tokio::test]
async fn a_program_drawing_without_end_gets_its_own_message() {
    let exercise = exercise(SQUARE);
    let report = grade_code(
        &exercise,
        "import turtle\nwhile True:\n    turtle.forward(1)\n    turtle.left(1)\n",
    )
    .await;
    assert_eq!(report.tests[1].status, TestStatus::OutputLimit);
    assert!(
        report.tests[1]
            .message
            .as_deref()
            .is_some_and(|m| m.contains("trop de traits")),
        "{report:#?}"
    );
}
