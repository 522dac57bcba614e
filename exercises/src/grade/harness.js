// Fabrique's JavaScript grader, run as the entry file of a grading run.
//
// It reads `_fabrique_cases.json`, runs the learner's file as a script of its
// own (its functions and `let`/`const` become global), then each assertion
// test. It writes one line at the end: a secret marker followed by the
// results in JSON. Everything it needs is taken before the learner's code
// runs. (Input/output tests are separate runs of the learner's program.)
(function () {
  'use strict';
  const fabrique = globalThis.__fabrique;
  const spec = require('./_fabrique_cases.json');
  const write = process.stdout.write;
  const stringify = JSON.stringify;
  const indirectEval = eval;
  const FunctionCtor = Function;
  const isArray = Array.isArray;
  const getPrototypeOf = Object.getPrototypeOf;
  const keys = Object.keys;
  const is = Object.is;

  class AssertionFailure extends Error {}
  AssertionFailure.prototype.name = 'AssertionError';
  function assert(condition, message) {
    if (!condition) throw new AssertionFailure(message === undefined ? 'assertion fausse' : String(message));
  }
  function deepEqual(a, b) {
    if (is(a, b) || a === b) return true;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
    if (getPrototypeOf(a) !== getPrototypeOf(b)) return false;
    if (a instanceof Map) {
      if (a.size !== b.size) return false;
      for (const [k, v] of a) if (!b.has(k) || !deepEqual(v, b.get(k))) return false;
      return true;
    }
    if (a instanceof Set) {
      if (a.size !== b.size) return false;
      for (const v of a) if (!b.has(v)) return false;
      return true;
    }
    if (a instanceof Date) return a.getTime() === b.getTime();
    if (isArray(a) && a.length !== b.length) return false;
    const ka = keys(a);
    const kb = keys(b);
    if (ka.length !== kb.length) return false;
    for (const k of ka) if (!Object.prototype.hasOwnProperty.call(b, k) || !deepEqual(a[k], b[k])) return false;
    return true;
  }
  assert.ok = assert;
  assert.equal = (a, b, m) => assert(a == b, m || `${fabrique.inspect(a)} au lieu de ${fabrique.inspect(b)}`);
  assert.strictEqual = (a, b, m) => assert(is(a, b) || a === b, m || `${fabrique.inspect(a)} au lieu de ${fabrique.inspect(b)}`);
  assert.deepEqual = (a, b, m) => assert(deepEqual(a, b), m || `${fabrique.inspect(a)} au lieu de ${fabrique.inspect(b)}`);
  assert.deepStrictEqual = assert.deepEqual;
  assert.notEqual = (a, b, m) => assert(a != b, m || `${fabrique.inspect(a)} ne devait pas valoir ${fabrique.inspect(b)}`);
  Object.defineProperty(globalThis, 'assert', { value: assert, writable: true, configurable: true, enumerable: false });

  const results = { io: [], assertions: [], compile_error: null, load_error: null, load_output: '' };
  let loaded = true;
  try {
    fabrique.runFile(spec.entry);
  } catch (error) {
    loaded = false;
    const exit = fabrique.exitCode(error);
    if (exit === undefined || exit !== 0) {
      results.load_error = exit === undefined ? fabrique.formatError(error) : `process.exit(${exit})`;
    } else {
      loaded = true;
    }
  }
  function syntaxOf(source, wrap) {
    try {
      new FunctionCtor(wrap ? `return (${source});` : source);
      return null;
    } catch (error) {
      return fabrique.formatError(error);
    }
  }
  if (loaded) {
    for (const test of spec.assertions) {
      const result = { id: test.id };
      try {
        if (test.kind === 'expression') {
          const broken = syntaxOf(test.equals, true) || syntaxOf(test.expression, true);
          if (broken) {
            result.status = 'broken';
            result.message = broken;
          } else {
            let expected;
            try {
              expected = indirectEval(`(${test.equals})`);
            } catch (error) {
              result.status = 'broken';
              result.message = fabrique.formatError(error);
            }
            if (!result.status) {
              const got = indirectEval(`(${test.expression})`);
              if (deepEqual(got, expected)) {
                result.status = 'pass';
              } else {
                result.status = 'fail';
                result.got = fabrique.inspect(got);
                result.expected = fabrique.inspect(expected);
              }
            }
          }
        } else {
          const broken = syntaxOf(test.code, false);
          if (broken) {
            result.status = 'broken';
            result.message = broken;
          } else {
            indirectEval(test.code);
            result.status = 'pass';
          }
        }
      } catch (error) {
        if (error instanceof AssertionFailure) {
          result.status = 'fail';
          result.message = error.message;
        } else {
          result.status = 'error';
          result.error = fabrique.formatError(error);
        }
      }
      results.assertions.push(result);
    }
  }
  write(spec.marker + stringify(results) + '\n');
})();
