//! Python's `turtle` in the guest: each call's effect on position, heading
//! and pen (against values computed by hand), colours as CPython accepts
//! them, its errors, the drawing handed to the host however the program
//! ends, and the cap that stops a program drawing without end.

mod common;

use common::{run, run_request, tight_limits};
use fabrique_sandbox::Language::Python;
use fabrique_sandbox::{Align, Color, DrawOp, Drawing, RunReport, RunRequest, RunStatus};

async fn drawn(code: &str) -> (RunReport, Drawing) {
    let report = run(Python, code).await;
    assert!(
        report.succeeded(),
        "{:?}\nstdout:\n{}\nstderr:\n{}",
        report.status,
        report.stdout,
        report.stderr
    );
    let drawing = report.drawing.clone().expect("the program drew");
    (report, drawing)
}

fn lines(drawing: &Drawing) -> Vec<([f32; 2], [f32; 2])> {
    drawing.lines().collect()
}

fn assert_near(got: [f32; 2], want: [f32; 2]) {
    assert!(
        (got[0] - want[0]).abs() < 1e-3 && (got[1] - want[1]).abs() < 1e-3,
        "{got:?} is not {want:?}"
    );
}

#[tokio::test]
async fn moves_turns_and_the_pen_match_hand_computed_values() {
    let (report, drawing) = drawn(
        "import turtle\n\
         t = turtle.Turtle()\n\
         t.forward(100)\n\
         print(t.position(), t.heading())\n\
         t.left(90)\n\
         t.fd(50)\n\
         print(t.pos(), t.heading())\n\
         t.right(45)\n\
         print(t.heading())\n\
         t.setheading(180)\n\
         t.penup()\n\
         print(t.isdown())\n\
         t.forward(10)\n\
         t.pendown()\n\
         print(t.xcor(), t.ycor())\n\
         t.backward(20)\n\
         print(t.position())\n\
         t.goto(-30, 40)\n\
         print(t.distance(0, 0), t.distance((-30, 0)))\n\
         t.setpos((0, 40))\n\
         t.pensize(3)\n\
         print(t.pensize(), t.width())\n\
         t.home()\n\
         print(t.position(), t.heading())\n\
         t.rt(90)\n\
         print(t.heading())\n",
    )
    .await;
    assert_eq!(
        report.stdout,
        "(100.00,0.00) 0.0\n(100.00,50.00) 90.0\n45.0\nFalse\n90.0 50.0\n(110.00,50.00)\n50.0 40.0\n3 3\n(0.00,0.00) 0.0\n270.0\n"
    );
    let got = lines(&drawing);
    let want = [
        ([0.0, 0.0], [100.0, 0.0]),
        ([100.0, 0.0], [100.0, 50.0]),
        // pen up for the move to (90, 50), then backward to (110, 50)
        ([90.0, 50.0], [110.0, 50.0]),
        ([110.0, 50.0], [-30.0, 40.0]),
        ([-30.0, 40.0], [0.0, 40.0]),
        ([0.0, 40.0], [0.0, 0.0]),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((from, to), (want_from, want_to)) in got.into_iter().zip(want) {
        assert_near(from, want_from);
        assert_near(to, want_to);
    }
    let widths: Vec<f32> = drawing
        .ops
        .iter()
        .filter_map(|op| match op {
            DrawOp::Line { width, .. } => Some(*width),
            _ => None,
        })
        .collect();
    assert_eq!(widths, [1.0, 1.0, 1.0, 1.0, 1.0, 3.0]);
}

#[tokio::test]
async fn circles_follow_cpythons_polygons() {
    let (report, drawing) = drawn(
        "from turtle import *\n\
         circle(50, steps=4)\n\
         print(abs(xcor()) < 1e-9, abs(ycor()) < 1e-9, heading())\n\
         penup()\n\
         home()\n\
         pendown()\n\
         circle(50, 180)\n\
         print(position(), heading())\n",
    )
    .await;
    // A 4-step circle of radius 50 is the square whose corners are 50·√2
    // from its centre (0, 50); a half circle ends opposite the start.
    assert_eq!(report.stdout, "True True 0.0\n(0.00,100.00) 180.0\n");
    let got = lines(&drawing);
    assert_eq!(
        got.len(),
        4 + 10,
        "1 + int(min(11 + 50/6, 59) / 2) = 10 steps"
    );
    for (index, corner) in [[50.0, 50.0], [0.0, 100.0], [-50.0, 50.0], [0.0, 0.0]]
        .into_iter()
        .enumerate()
    {
        assert_near(got[index].1, corner);
    }
    assert_near(got[13].1, [0.0, 100.0]);
}

#[tokio::test]
async fn colours_by_name_hex_and_rgb_in_both_colour_modes() {
    let (report, drawing) = drawn(
        "import turtle\n\
         t = turtle.Turtle()\n\
         t.pencolor('red')\n\
         t.fd(10)\n\
         t.pencolor('#00F')\n\
         t.fd(10)\n\
         t.pencolor((1, 0.5, 0))\n\
         t.fd(10)\n\
         turtle.colormode(255)\n\
         t.pencolor(0, 128, 255)\n\
         t.fd(10)\n\
         print(t.pencolor())\n\
         t.color('Dark Green', 'yellow')\n\
         print(t.color())\n\
         t.begin_fill()\n\
         for _ in range(3):\n\
         \x20   t.fd(10)\n\
         \x20   t.left(120)\n\
         t.end_fill()\n\
         turtle.bgcolor('black')\n\
         print(turtle.bgcolor(), turtle.colormode())\n",
    )
    .await;
    assert_eq!(
        report.stdout,
        "(0.0, 128.0, 255.0)\n('Dark Green', 'yellow')\nblack 255\n"
    );
    let colors: Vec<Color> = drawing
        .ops
        .iter()
        .filter_map(|op| match op {
            DrawOp::Line { color, .. } => Some(*color),
            _ => None,
        })
        .collect();
    assert_eq!(
        colors,
        [
            Color(0xff0000),
            Color(0x0000ff),
            Color(0xff8000),
            Color(0x0080ff),
            Color(0x006400),
            Color(0x006400),
            Color(0x006400),
        ]
    );
    let (points, fill) = drawing.fills().next().expect("one filled shape");
    assert_eq!(fill, Color(0xffff00));
    assert_eq!(points.len(), 4, "the start and three corners");
    assert!(drawing.ops.contains(&DrawOp::Background {
        color: Color::BLACK
    }));
}

#[tokio::test]
async fn dots_texts_speeds_and_several_turtles() {
    let (_, drawing) = drawn(
        "import turtle\n\
         a = turtle.Turtle()\n\
         b = turtle.Turtle()\n\
         a.speed(0)\n\
         a.fd(10)\n\
         b.speed('slowest')\n\
         b.left(90)\n\
         b.fd(20)\n\
         b.speed(11)\n\
         b.dot(20, 'blue')\n\
         b.write('Bonjour', align='center', font=('Arial', 16, 'bold'))\n\
         turtle.forward(5)\n\
         turtle.done()\n",
    )
    .await;
    let ops: Vec<&DrawOp> = drawing
        .ops
        .iter()
        .filter(|op| !matches!(op, DrawOp::Line { .. }))
        .collect();
    assert_eq!(
        ops,
        [
            &DrawOp::Speed { speed: 0 },
            &DrawOp::Speed { speed: 1 },
            &DrawOp::Speed { speed: 0 },
            &DrawOp::Dot {
                at: [0.0, 20.0],
                size: 20.0,
                color: Color(0x0000ff)
            },
            &DrawOp::Text {
                at: [0.0, 20.0],
                text: "Bonjour".into(),
                color: Color::BLACK,
                align: Align::Center,
                size: 16
            },
            &DrawOp::Speed { speed: 3 },
        ]
    );
    let got = lines(&drawing);
    assert_eq!(
        got,
        [
            ([0.0, 0.0], [10.0, 0.0]),
            ([0.0, 0.0], [0.0, 20.0]),
            ([0.0, 0.0], [5.0, 0.0])
        ]
    );
}

#[tokio::test]
async fn invalid_calls_raise_cpythons_errors() {
    let (report, _) = drawn(
        "import turtle\n\
         t = turtle.Turtle()\n\
         t.fd(1)\n\
         calls = [\n\
         \x20   lambda: t.pencolor('pas-une-couleur'),\n\
         \x20   lambda: t.forward('10'),\n\
         \x20   lambda: t.left(None),\n\
         \x20   lambda: t.shape('dragon'),\n\
         \x20   lambda: t.pencolor((2, 0, 0)),\n\
         \x20   lambda: t.fillcolor(1, 2),\n\
         \x20   lambda: t.goto(5),\n\
         \x20   lambda: t.circle('grand'),\n\
         ]\n\
         for call in calls:\n\
         \x20   try:\n\
         \x20       call()\n\
         \x20   except (TypeError, turtle.TurtleGraphicsError) as error:\n\
         \x20       print(type(error).__name__, error)\n",
    )
    .await;
    assert_eq!(
        report.stdout,
        "TurtleGraphicsError bad color string: pas-une-couleur\n\
         TypeError distance must be a number, not str\n\
         TypeError angle must be a number, not NoneType\n\
         TurtleGraphicsError There is no shape named dragon\n\
         TurtleGraphicsError bad color sequence: (2, 0, 0)\n\
         TurtleGraphicsError bad color arguments: (1, 2)\n\
         TypeError goto() needs x and y, or a pair (x, y)\n\
         TypeError radius must be a number, not str\n"
    );

    let report = run(Python, "import turtle\nturtle.pencolor('rouge')\n").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(
        report
            .stderr
            .ends_with("turtle.TurtleGraphicsError: bad color string: rouge\n"),
        "{}",
        report.stderr
    );
}

#[tokio::test]
async fn the_drawing_reaches_the_host_however_the_program_ends() {
    let report = run(Python, "import turtle\nturtle.fd(100)\nprint(1 / 0)\n").await;
    assert_eq!(report.exit_code, Some(1));
    assert!(report.stderr.contains("ZeroDivisionError"));
    assert_eq!(
        report
            .drawing
            .expect("drawn before the error")
            .lines()
            .count(),
        1
    );

    let report = run(
        Python,
        "import sys, turtle\nturtle.fd(100)\nturtle.lt(90)\nturtle.fd(100)\nsys.exit(3)\n",
    )
    .await;
    assert_eq!(report.exit_code, Some(3));
    assert_eq!(
        report
            .drawing
            .expect("drawn before sys.exit")
            .lines()
            .count(),
        2
    );

    let report = run(Python, "import turtle\nprint(turtle.heading())\n").await;
    assert!(report.succeeded());
    assert_eq!(report.drawing, None, "nothing drawn, no drawing");
    let json = serde_json::to_value(&report).unwrap();
    assert!(json.get("drawing").is_none(), "{json}");
}

#[tokio::test]
async fn a_program_drawing_without_end_is_stopped_at_the_cap() {
    let limits = tight_limits();
    let report = run_request(
        RunRequest::single(
            Python,
            "import turtle\nwhile True:\n    turtle.forward(1)\n    turtle.left(1)\n",
        )
        .with_limits(limits),
    )
    .await;
    assert_eq!(report.status, RunStatus::OutputLimit, "{}", report.stderr);
    assert!(report.time < limits.wall_time, "{:?}", report.time);
    let drawing = report.drawing.expect("what fitted is kept");
    assert!(drawing.truncated);
    let count = drawing.lines().count();
    // 17 bytes a line, a few for the pen and speed at the start.
    assert!(
        count > limits.drawing_bytes / 17 - 10 && count <= limits.drawing_bytes / 17,
        "{count} lines"
    );
}

#[tokio::test]
async fn native_moves_match_the_python_methods_to_the_bit() {
    // Each turtle's forward/backward/left/right are native; the class's
    // methods are the same moves in Python. Both turtles take the same
    // steps (ints, floats, bools, an int too large for the native path, a
    // Fraction, turns that are not cached), filling as they go: their
    // states, lines and fills must be equal, bit for bit.
    let (report, drawing) = drawn(
        r#"import turtle
from fractions import Fraction
native = turtle.Turtle()
python = turtle.Turtle()
steps = [('forward', 10), ('left', 89), ('forward', 2.5), ('right', 0.1),
         ('backward', True), ('left', 12345.678), ('forward', Fraction(7, 3)),
         ('right', -720), ('forward', 2**60), ('left', 1e-300), ('back', 3),
         ('lt', -45.5), ('fd', -1), ('rt', 3), ('bk', 0.25)]
for t in (native, python):
    t.begin_fill()
    for name, value in steps:
        if t is native:
            getattr(t, name)(value)
        else:
            getattr(turtle.Turtle, name)(t, value)
    t.end_fill()
print(type(native.forward).__name__, type(turtle.Turtle.forward).__name__)
print(native._s[:5] == python._s[:5], [float(v).hex() for v in native._s[:5]])
print(native.position() == python.position(), native.heading() == python.heading())
"#,
    )
    .await;
    let lines = report.stdout.lines().collect::<Vec<_>>();
    assert_eq!(lines[0], "builtin_function_or_method function");
    assert!(lines[1].starts_with("True "), "{}", report.stdout);
    assert_eq!(lines[2], "True True", "{}", report.stdout);
    let drawn_lines = drawing.lines().collect::<Vec<_>>();
    assert_eq!(drawn_lines.len(), 16);
    assert_eq!(drawn_lines[..8], drawn_lines[8..]);
    let fills = drawing
        .fills()
        .map(|(points, _)| points.to_vec())
        .collect::<Vec<_>>();
    assert_eq!(fills.len(), 2);
    assert_eq!(fills[0], fills[1]);
}
