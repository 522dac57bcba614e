//! French explanations for beginners: the raw error, as the sandbox's
//! interpreters write it, in; the category, line and explanation out.

use fabrique_exercises::{ErrorCategory, explain_error, explain_run};
use fabrique_sandbox::{Language, RunStatus};

fn python(source: &str, stderr: &str) -> fabrique_exercises::Explanation {
    explain_error(Language::Python, stderr, source, "main.py").expect("an explanation")
}

fn javascript(source: &str, stderr: &str) -> fabrique_exercises::Explanation {
    explain_error(Language::JavaScript, stderr, source, "main.js").expect("an explanation")
}

fn traceback(line: usize, code: &str, error: &str) -> String {
    format!(
        "Traceback (most recent call last):\n  File \"main.py\", line {line}, in <module>\n    {code}\n{error}\n"
    )
}

#[test]
fn python_syntax_errors() {
    let source = "x = 3\nif x > 1\n    print(x)\n";
    let e = python(
        source,
        "  File \"main.py\", line 2\n    if x > 1\n            ^\nSyntaxError: invalid syntax\n",
    );
    assert_eq!(e.category, ErrorCategory::MissingColon);
    assert_eq!(e.line, Some(2));
    assert_eq!(e.excerpt.as_deref(), Some("if x > 1"));
    assert_eq!(
        e.message,
        "Ligne 2 : Une ligne qui commence par `if` doit finir par deux-points `:`."
    );
    assert!(e.raw.ends_with("SyntaxError: invalid syntax"));

    let e = python(
        "print(\"bonjour\"\n",
        "  File \"main.py\", line 1\n    print(\"bonjour\"\n         ^\nSyntaxError: '(' was never closed\n",
    );
    assert_eq!(e.category, ErrorCategory::UnclosedBracket);

    let e = python(
        "x = [1, 2\ny = 3\n",
        "  File \"main.py\", line 2\n    y = 3\n    ^\nSyntaxError: invalid syntax\n",
    );
    assert_eq!(
        e.category,
        ErrorCategory::UnclosedBracket,
        "the bracket opened on the line before"
    );

    let e = python(
        "print(\"bonjour)\n",
        "  File \"main.py\", line 1\n    print(\"bonjour)\n          ^^^^^^^^^\nSyntaxError: unterminated string\n",
    );
    assert_eq!(e.category, ErrorCategory::UnclosedString);
    assert_eq!(e.title, "Guillemet non fermé");

    let e = python(
        "x = = 2\n",
        "  File \"main.py\", line 1\n    x = = 2\n        ^\nSyntaxError: invalid syntax\n",
    );
    assert_eq!(e.category, ErrorCategory::Syntax);

    let e = python(
        "def f():\nprint(1)\n",
        "  File \"main.py\", line 2\n    print(1)\n    ^^^^^\nIndentationError: expected an indented block after function definition\n",
    );
    assert_eq!(e.category, ErrorCategory::Indentation);
    assert!(e.message.contains("4 espaces"), "{}", e.message);
}

#[test]
fn python_name_errors_suggest_close_names() {
    let source = "nombre = 3\nprint(nombr)\n";
    let e = python(
        source,
        &traceback(
            2,
            "print(nombr)",
            "NameError: name 'nombr' is not defined. Did you mean: 'nombre'?",
        ),
    );
    assert_eq!(e.category, ErrorCategory::UnknownName);
    assert!(
        e.message.contains("`nombr`") && e.message.contains("Voulais-tu écrire `nombre` ?"),
        "{}",
        e.message
    );

    // Without the interpreter's suggestion, one is found in the learner's code.
    let source = "compteur = 0\ncompteru += 1\n";
    let e = python(
        source,
        &traceback(
            2,
            "compteru += 1",
            "NameError: name 'compteru' is not defined",
        ),
    );
    assert!(
        e.message.contains("Voulais-tu écrire `compteur` ?"),
        "{}",
        e.message
    );

    let e = python(
        "print(bonjour)\n",
        &traceback(
            1,
            "print(bonjour)",
            "NameError: name 'bonjour' is not defined",
        ),
    );
    assert!(e.message.contains("entre guillemets"), "{}", e.message);
}

#[test]
fn python_type_errors() {
    let e = python(
        "print(\"age : \" + 12)\n",
        &traceback(
            1,
            "print(\"age : \" + 12)",
            "TypeError: unsupported operand type(s) for +: 'str' and 'int'",
        ),
    );
    assert_eq!(e.category, ErrorCategory::TextAndNumber);
    assert!(e.message.contains("int(input())"), "{}", e.message);

    let e = python(
        "n = input()\nprint(n % 2)\n",
        &traceback(
            2,
            "print(n % 2)",
            "TypeError: not all arguments converted during string formatting",
        ),
    );
    assert_eq!(e.category, ErrorCategory::TextAndNumber);

    let e = python(
        "def f(a, b):\n    return a\nf(1)\n",
        &traceback(
            3,
            "f(1)",
            "TypeError: f() missing 1 required positional argument: 'b'",
        ),
    );
    assert_eq!(e.category, ErrorCategory::WrongArgumentCount);

    let e = python(
        "x = 5\nx()\n",
        &traceback(2, "x()", "TypeError: 'int' object is not callable"),
    );
    assert_eq!(e.category, ErrorCategory::NotCallable);
    assert!(e.message.contains("`int`"), "{}", e.message);

    let e = python(
        "len(5)\n",
        &traceback(1, "len(5)", "TypeError: object of type 'int' has no len()"),
    );
    assert_eq!(e.category, ErrorCategory::WrongType);
}

#[test]
fn python_runtime_errors() {
    let cases: [(&str, &str, ErrorCategory, &str); 8] = [
        (
            "print(1 / 0)",
            "ZeroDivisionError: division by zero",
            ErrorCategory::DivisionByZero,
            "Division par zéro",
        ),
        (
            "print(l[5])",
            "IndexError: list index out of range",
            ErrorCategory::IndexOutOfRange,
            "Indice en dehors de la liste",
        ),
        (
            "print(d[\"b\"])",
            "KeyError: 'b'",
            ErrorCategory::MissingKey,
            "Clé absente du dictionnaire",
        ),
        (
            "int(\"abc\")",
            "ValueError: invalid literal for int() with base 10: 'abc'",
            ErrorCategory::InvalidNumber,
            "Ce texte n'est pas un nombre",
        ),
        (
            "\"abc\".push(1)",
            "AttributeError: 'str' object has no attribute 'push'",
            ErrorCategory::MissingAttribute,
            "Méthode ou attribut inconnu",
        ),
        (
            "import maths",
            "ModuleNotFoundError: No module named 'maths'",
            ErrorCategory::UnknownModule,
            "Module introuvable",
        ),
        (
            "x = input()",
            "EOFError: EOF when reading a line",
            ErrorCategory::NoMoreInput,
            "Plus rien à lire",
        ),
        (
            "f(1)",
            "RecursionError: maximum recursion depth exceeded",
            ErrorCategory::Recursion,
            "Trop d'appels imbriqués",
        ),
    ];
    for (code, error, category, title) in cases {
        let e = python(&format!("{code}\n"), &traceback(1, code, error));
        assert_eq!((e.category, e.title.as_str()), (category, title), "{error}");
        assert_eq!(e.line, Some(1));
        assert!(e.message.starts_with("Ligne 1 : "), "{}", e.message);
    }
    let e = python(
        "int(\"abc\")\n",
        &traceback(
            1,
            "int(\"abc\")",
            "ValueError: invalid literal for int() with base 10: 'abc'",
        ),
    );
    assert!(e.message.contains("'abc'"), "{}", e.message);
    let e = python("d = {}\nd['b']\n", &traceback(2, "d['b']", "KeyError: 'b'"));
    assert!(e.message.contains("'b'"), "{}", e.message);
    let e = python(
        "x = [].push\n",
        &traceback(
            1,
            "x",
            "AttributeError: 'list' object has no attribute 'push'",
        ),
    );
    assert!(
        e.message.contains("`list`") && e.message.contains("`push`"),
        "{}",
        e.message
    );
}

#[test]
fn the_deepest_frame_of_the_learners_file_is_the_line() {
    let source = "def f(x):\n    return 10 / x\n\nf(0)\n";
    let stderr = "Traceback (most recent call last):\n  File \"main.py\", line 4, in <module>\n    f(0)\n  File \"main.py\", line 2, in f\n    return 10 / x\nZeroDivisionError: division by zero\n";
    let e = python(source, stderr);
    assert_eq!(e.line, Some(2));
    assert_eq!(e.excerpt.as_deref(), Some("    return 10 / x"));
}

#[test]
fn javascript_errors() {
    let e = javascript(
        "console.log(nom)\n",
        "ReferenceError: nom is not defined\n    at <main> (main.js:1:12)\n",
    );
    assert_eq!((e.category, e.line), (ErrorCategory::UnknownName, Some(1)));
    assert!(e.message.contains("`nom`"), "{}", e.message);

    let e = javascript(
        "consle.log(\"x\")\n",
        "ReferenceError: consle is not defined\n    at <main> (main.js:?:?)\n",
    );
    assert!(
        e.message.contains("Voulais-tu écrire `console` ?"),
        "{}",
        e.message
    );

    let e = javascript(
        "let x = 5;\nx();\n",
        "TypeError: not a callable function\n    at <main> (main.js:2:2)\n",
    );
    assert_eq!((e.category, e.line), (ErrorCategory::NotCallable, Some(2)));
    assert!(e.message.contains("(`x`)"), "{}", e.message);

    let e = javascript(
        "\"abc\".toUppercase()\n",
        "TypeError: not a callable function\n    at <main> (main.js:1:18)\n",
    );
    assert!(e.message.contains("(`toUppercase`)"), "{}", e.message);

    // (source, raw error as Boa writes it, category, line)
    let cases: [(&str, &str, ErrorCategory, Option<usize>); 7] = [
        (
            "let o;\nconsole.log(o.nom);\n",
            "TypeError: cannot convert 'null' or 'undefined' to object\n    at <main> (main.js:2:15)\n",
            ErrorCategory::UndefinedProperty,
            Some(2),
        ),
        (
            "const x = 1;\nx = 2;\n",
            "TypeError: cannot mutate an immutable binding 'x'\n    at <main> (main.js:2:1)\n",
            ErrorCategory::ConstantReassigned,
            Some(2),
        ),
        (
            "if (x > 1 {\n}\n",
            "SyntaxError: expected token ')', got '{' in if statement at line 1, col 11\n",
            ErrorCategory::UnclosedBracket,
            Some(1),
        ),
        (
            "let s = \"abc;\n",
            "SyntaxError: unterminated string literal\n",
            ErrorCategory::UnclosedString,
            None,
        ),
        (
            "let = ;\n",
            "SyntaxError: unexpected token '=' at line 1, col 5\n",
            ErrorCategory::Syntax,
            Some(1),
        ),
        (
            "function f(n) { return f(n); }\nf(1);\n",
            "RangeError: Maximum call stack size exceeded\n",
            ErrorCategory::Recursion,
            None,
        ),
        (
            "new Array(-1)\n",
            "RangeError: invalid array length\n    at <main> (main.js:1:1)\n",
            ErrorCategory::InvalidValue,
            Some(1),
        ),
    ];
    for (source, raw, category, line) in cases {
        let e = javascript(source, raw);
        assert_eq!((e.category, e.line), (category, line), "{raw}");
        assert!(!e.message.is_empty());
    }
}

#[test]
fn limits_are_explained_whatever_the_language() {
    for (status, category) in [
        (RunStatus::TimeLimit, ErrorCategory::InfiniteLoop),
        (RunStatus::MemoryLimit, ErrorCategory::TooMuchMemory),
        (RunStatus::OutputLimit, ErrorCategory::TooMuchOutput),
        (RunStatus::Crashed, ErrorCategory::Crash),
    ] {
        for language in Language::ALL {
            let e = explain_run(language, status, "", "while True:\n    pass\n", "main.py")
                .expect("explained");
            assert_eq!(e.category, category);
            assert!(!e.message.is_empty());
        }
    }
    assert!(
        explain_run(
            Language::Python,
            RunStatus::Exited,
            "",
            "print(1)\n",
            "main.py"
        )
        .is_none()
    );
    let e = explain_run(Language::Python, RunStatus::TimeLimit, "", "", "main.py").unwrap();
    assert!(e.message.contains("boucle"), "{}", e.message);
}
