# Fabrique's Python grader, run as the entry file of a grading run.
#
# It reads `_fabrique_cases.json`, compiles the learner's file once, then:
# - runs it once per input/output case, with that case's input and its
#   output captured (one run of the sandbox for all the cases);
# - runs it once more (with the first case's input, if any), then each
#   assertion test in its namespace. A program that reads more input than
#   it is given there still has the functions it defined before.
# It writes one line at the end: a secret marker followed by the results in
# JSON. Everything it needs is taken before the learner's code runs.
import sys, io, json, os, traceback

_write = os.write
_dumps = json.dumps
_StringIO = io.StringIO
_extract_tb = traceback.extract_tb
_format_list = traceback.format_list
_format_exception_only = traceback.format_exception_only
_BaseException = BaseException
_SystemExit = SystemExit
_AssertionError = AssertionError
_SyntaxError = SyntaxError
_compile = compile
_exec = exec
_eval = eval
_repr = repr
_isinstance = isinstance
_str = str
_int = int
_builtins = __builtins__


class _OutputLimit(BaseException):
    pass


class _Capture:
    """A text stream that keeps what is written, up to a limit."""

    def __init__(self, limit):
        self.parts = []
        self.size = 0
        self.limit = limit

    def write(self, text):
        if not _isinstance(text, _str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        self.size += len(text)
        if self.size > self.limit:
            raise _OutputLimit()
        self.parts.append(text)
        return len(text)

    def flush(self):
        pass

    def writable(self):
        return True

    def isatty(self):
        return False

    def getvalue(self):
        return "".join(self.parts)


def _traceback(exc, entry):
    """The traceback as Python prints it, limited to the learner's frames."""
    frames = [f for f in _extract_tb(exc.__traceback__) if f.filename in (entry, "<test>")]
    lines = []
    if frames:
        lines.append("Traceback (most recent call last):\n")
        lines.extend(_format_list(frames))
    lines.extend(_format_exception_only(type(exc), exc))
    return "".join(lines)


def _exit_error(exc):
    """The error of a `sys.exit(code)`, or None when it is a success."""
    code = exc.code
    if code is None or code == 0:
        return None
    if _isinstance(code, _int):
        return "SystemExit: " + _str(code) + "\n"
    return _str(code) + "\n"


def _run(code, entry, stdin, limit, namespace):
    """Runs the learner's code; returns (status, stdout, stderr)."""
    out, err = _Capture(limit), _Capture(limit)
    saved = sys.stdin, sys.stdout, sys.stderr
    sys.stdin, sys.stdout, sys.stderr = _StringIO(stdin), out, err
    status, error = "ok", ""
    try:
        _exec(code, namespace)
    except _OutputLimit:
        status = "output_limit"
    except _SystemExit as exc:
        error = _exit_error(exc)
        status = "error" if error else "ok"
        error = error or ""
    except _BaseException as exc:
        status, error = "error", _traceback(exc, entry)
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
    return status, out.getvalue(), err.getvalue() + error


def _assertion(test, namespace, entry, limit):
    out = _Capture(limit)
    saved = sys.stdin, sys.stdout
    sys.stdin, sys.stdout = _StringIO(""), out
    result = {"id": test["id"]}
    try:
        if test["kind"] == "expression":
            try:
                expected = _eval(_compile(test["equals"], "<equals>", "eval"), namespace)
                expression = _compile(test["expression"], "<test>", "eval")
            except _BaseException as exc:
                result.update(status="broken", message="".join(_format_exception_only(type(exc), exc)))
                return result
            got = _eval(expression, namespace)
            if got == expected:
                result.update(status="pass")
            else:
                result.update(status="fail", got=_repr(got), expected=_repr(expected))
        else:
            try:
                statements = _compile(test["code"], "<test>", "exec")
            except _SyntaxError as exc:
                result.update(status="broken", message="".join(_format_exception_only(type(exc), exc)))
                return result
            _exec(statements, namespace)
            result.update(status="pass")
    except _OutputLimit:
        result.update(status="output_limit")
    except _AssertionError as exc:
        frames = _extract_tb(exc.__traceback__)
        if frames and frames[-1].filename == entry:
            result.update(status="error", error=_traceback(exc, entry))
        else:
            result.update(status="fail", message=_str(exc))
    except _BaseException as exc:
        result.update(status="error", error=_traceback(exc, entry))
    finally:
        sys.stdin, sys.stdout = saved
        result["stdout"] = out.getvalue()
    return result


def _main():
    with open("_fabrique_cases.json", encoding="utf-8") as f:
        spec = json.load(f)
    entry, limit = spec["entry"], spec["output_limit"]
    results = {"io": [], "assertions": [], "compile_error": None, "load_error": None, "load_output": ""}
    try:
        with open(entry, encoding="utf-8") as f:
            code = _compile(f.read(), entry, "exec")
    except _BaseException as exc:
        results["compile_error"] = _traceback(exc, entry)
        code = None
    if code is not None:
        for case in spec["io"]:
            namespace = {"__name__": "__main__", "__file__": entry, "__builtins__": _builtins}
            status, out, err = _run(code, entry, case["stdin"], limit, namespace)
            results["io"].append({"id": case["id"], "status": status, "stdout": out, "stderr": err})
        if spec["assertions"]:
            namespace = {"__name__": "__main__", "__file__": entry, "__builtins__": _builtins}
            status, out, err = _run(code, entry, spec["assertion_stdin"], limit, namespace)
            results["load_output"] = out
            if status != "ok" and not err.rstrip().endswith("EOFError: EOF when reading a line"):
                results["load_error"] = err or status
            else:
                for test in spec["assertions"]:
                    results["assertions"].append(_assertion(test, namespace, entry, limit))
    sys.stdout.flush()
    _write(1, (spec["marker"] + _dumps(results) + "\n").encode("utf-8"))


_main()
