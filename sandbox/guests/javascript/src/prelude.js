// The JavaScript guest's runtime, evaluated once at pre-initialization.
//
// It gives learners' programs what Node.js gives everyday code: `console`
// with Node-like formatting of values, `prompt()`/`readline()` to read a line
// of standard input, `require()` for the learner's own files and for `db`
// (SQL on the exercise's database, parameters bound), `process.exit`,
// `setTimeout` (run in order of delay once the program ends), and nothing
// else: no file system, no network, no environment.
//
// The host functions `__fabriqueWrite(fd, text)`, `__fabriqueReadLine()`,
// `__fabriqueReadFile(path)`, `__fabriqueRunFile(path)`,
// `__fabriqueModule(path, source)` and `__fabriqueDb(sql, parameters)` are provided by the guest (lib.rs); this prelude
// hides them behind the objects above and removes them from the global scope.
(function () {
  'use strict';
  const write = globalThis.__fabriqueWrite;
  const readLine = globalThis.__fabriqueReadLine;
  const readFile = globalThis.__fabriqueReadFile;
  const runFile = globalThis.__fabriqueRunFile;
  const compileModule = globalThis.__fabriqueModule;
  const execute = globalThis.__fabriqueDb;
  delete globalThis.__fabriqueWrite;
  delete globalThis.__fabriqueReadLine;
  delete globalThis.__fabriqueReadFile;
  delete globalThis.__fabriqueRunFile;
  delete globalThis.__fabriqueModule;
  delete globalThis.__fabriqueDb;

  const BREAK_LENGTH = 80;
  const MAX_ARRAY_LENGTH = 100;
  const MAX_STRING_LENGTH = 10000;
  const DEPTH = 2;
  const COMPACT = 3;
  const IDENTIFIER = /^[a-zA-Z_$][a-zA-Z_$0-9]*$/;

  function quote(s) {
    let q = "'";
    if (s.includes("'")) {
      if (!s.includes('"')) q = '"';
      else if (!s.includes('`') && !s.includes('${')) q = '`';
    }
    let out = '';
    for (const ch of s) {
      if (ch === q || ch === '\\') out += '\\' + ch;
      else if (ch === '\n') out += '\\n';
      else if (ch === '\t') out += '\\t';
      else if (ch === '\r') out += '\\r';
      else if (ch < ' ') out += '\\x' + ch.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase();
      else out += ch;
    }
    return q + out + q;
  }

  function formatNumber(n) {
    return Object.is(n, -0) ? '-0' : String(n);
  }

  function formatKey(key) {
    if (typeof key === 'symbol') return '[' + key.toString() + ']';
    return IDENTIFIER.test(key) ? key : quote(key);
  }

  function functionBase(fn) {
    const source = Function.prototype.toString.call(fn);
    if (source.startsWith('class') && /^class\b/.test(source)) {
      return fn.name ? '[class ' + fn.name + ']' : '[class (anonymous)]';
    }
    const kind = fn.constructor && fn.constructor.name === 'AsyncFunction' ? 'AsyncFunction'
      : fn.constructor && fn.constructor.name === 'GeneratorFunction' ? 'GeneratorFunction' : 'Function';
    return fn.name ? '[' + kind + ': ' + fn.name + ']' : '[' + kind + ' (anonymous)]';
  }

  function constructorName(obj) {
    let proto = Object.getPrototypeOf(obj);
    if (proto === null) return null;
    const ctor = proto.constructor;
    return typeof ctor === 'function' && typeof ctor.name === 'string' ? ctor.name : '';
  }

  function isBelowBreakLength(output, start, base, indentation) {
    let total = output.length + start;
    if (total + output.length > BREAK_LENGTH) return false;
    for (const entry of output) {
      total += entry.length;
      if (total > BREAK_LENGTH) return false;
    }
    return base === '' || !base.includes('\n');
  }

  // Node's util.inspect groups long arrays of short items in columns.
  function groupArrayElements(ctx, output, value) {
    let totalLength = 0;
    let maxLength = 0;
    let outputLength = output.length;
    if (ctx.extraItems) outputLength--;
    const separatorSpace = 2;
    const dataLen = new Array(outputLength);
    for (let i = 0; i < outputLength; i++) {
      const len = output[i].length;
      dataLen[i] = len;
      totalLength += len + separatorSpace;
      if (maxLength < len) maxLength = len;
    }
    const actualMax = maxLength + separatorSpace;
    if (actualMax * 3 + ctx.indentation < BREAK_LENGTH &&
        (totalLength / actualMax > 5 || maxLength <= 6)) {
      const averageBias = Math.sqrt(actualMax - totalLength / output.length);
      const biasedMax = Math.max(actualMax - 3 - averageBias, 1);
      const columns = Math.min(
        Math.round(Math.sqrt(2.5 * biasedMax * outputLength) / biasedMax),
        Math.floor((BREAK_LENGTH - ctx.indentation) / actualMax),
        COMPACT * 4,
        15);
      if (columns <= 1) return output;
      const tmp = [];
      const maxLineLength = [];
      for (let i = 0; i < columns; i++) {
        let lineLength = 0;
        for (let j = i; j < output.length; j += columns) {
          if (dataLen[j] > lineLength) lineLength = dataLen[j];
        }
        maxLineLength.push(lineLength + separatorSpace);
      }
      let padStart = true;
      if (value !== undefined) {
        for (let i = 0; i < output.length; i++) {
          if (typeof value[i] !== 'number' && typeof value[i] !== 'bigint') {
            padStart = false;
            break;
          }
        }
      }
      for (let i = 0; i < outputLength; i += columns) {
        const max = Math.min(i + columns, outputLength);
        let str = '';
        let j = i;
        for (; j < max - 1; j++) {
          const cell = output[j] + ', ';
          str += padStart ? cell.padStart(maxLineLength[j - i], ' ') : cell.padEnd(maxLineLength[j - i], ' ');
        }
        str += padStart ? output[j].padStart(maxLineLength[j - i] - separatorSpace, ' ') : output[j];
        tmp.push(str);
      }
      if (ctx.extraItems) tmp.push(output[outputLength]);
      output = tmp;
    }
    return output;
  }

  function reduceToSingleString(ctx, output, base, braces, isArray, depth, value) {
    const entries = output.length;
    if (isArray && entries > 6) output = groupArrayElements(ctx, output, value);
    if (ctx.currentDepth - depth < COMPACT && entries === output.length) {
      const start = output.length + ctx.indentation + braces[0].length + base.length + 10;
      if (isBelowBreakLength(output, start, base, ctx.indentation)) {
        const joined = output.join(', ');
        if (!joined.includes('\n')) {
          return (base ? base + ' ' : '') + braces[0] + ' ' + joined + ' ' + braces[1];
        }
      }
    }
    const indentation = '\n' + ' '.repeat(ctx.indentation);
    return (base ? base + ' ' : '') + braces[0] + indentation + '  ' +
      output.join(',' + indentation + '  ') + indentation + braces[1];
  }

  function formatError(err) {
    const name = err && err.name !== undefined ? String(err.name) : 'Error';
    const message = err && err.message !== undefined ? String(err.message) : '';
    let head = message ? name + ': ' + message : name;
    const stack = err && typeof err.stack === 'string' ? err.stack : '';
    if (stack.startsWith(head)) return stack.trimEnd();
    return stack ? head + '\n' + stack.trimEnd() : head;
  }

  function formatValue(ctx, value, depth, nested) {
    switch (typeof value) {
      case 'string':
        if (!nested) return value;
        return value.length > MAX_STRING_LENGTH
          ? quote(value.slice(0, MAX_STRING_LENGTH)) + '... ' + (value.length - MAX_STRING_LENGTH) + ' more characters'
          : quote(value);
      case 'number': return formatNumber(value);
      case 'bigint': return String(value) + 'n';
      case 'boolean': return String(value);
      case 'undefined': return 'undefined';
      case 'symbol': return value.toString();
    }
    if (value === null) return 'null';
    if (ctx.seen.includes(value)) return '[Circular *1]';
    return formatObject(ctx, value, depth);
  }

  function ownEntries(ctx, obj, depth, skip) {
    const output = [];
    for (const key of Reflect.ownKeys(obj)) {
      if (skip && skip(key)) continue;
      const desc = Object.getOwnPropertyDescriptor(obj, key);
      if (!desc || !desc.enumerable) continue;
      let shown;
      if (desc.get || desc.set) {
        shown = desc.get && desc.set ? '[Getter/Setter]' : desc.get ? '[Getter]' : '[Setter]';
      } else {
        shown = formatValue(ctx, desc.value, depth + 1, true);
      }
      output.push(formatKey(key) + ': ' + shown);
    }
    return output;
  }

  function formatObject(ctx, value, depth) {
    const isArray = Array.isArray(value);
    const ctor = constructorName(value);
    if (typeof value === 'function') {
      const base = functionBase(value);
      const keys = Object.keys(value);
      if (keys.length === 0) return base;
      if (depth > DEPTH) return base;
      ctx.seen.push(value);
      const output = ownEntries(ctx, value, depth);
      ctx.seen.pop();
      return reduceToSingleString(ctx, output, base, ['{', '}'], false, depth, value);
    }
    if (value instanceof Error) return formatError(value);
    if (value instanceof Date) return isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return String(value);
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      const inner = formatValue(ctx, value.valueOf(), depth, true);
      return '[' + (value instanceof Number ? 'Number' : value instanceof String ? 'String' : 'Boolean') + ': ' + inner + ']';
    }
    if (depth > DEPTH) {
      if (isArray) return '[Array]';
      return '[' + (ctor === null ? 'Object: null prototype' : ctor || 'Object') + ']';
    }
    ctx.seen.push(value);
    ctx.currentDepth = depth;
    const saved = ctx.indentation;
    ctx.indentation += 2;
    let output = [];
    let braces;
    let base = '';
    ctx.extraItems = false;
    if (isArray) {
      const shown = Math.min(value.length, MAX_ARRAY_LENGTH);
      let holes = 0;
      for (let i = 0; i < shown; i++) {
        if (!Object.prototype.hasOwnProperty.call(value, i)) {
          holes++;
          continue;
        }
        if (holes > 0) {
          output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
          holes = 0;
        }
        output.push(formatValue(ctx, value[i], depth + 1, true));
      }
      if (holes > 0) output.push('<' + holes + ' empty item' + (holes > 1 ? 's' : '') + '>');
      output = output.concat(ownEntries(ctx, value, depth, (key) => key === 'length' || String(key >>> 0) === key));
      if (value.length > shown) {
        const more = value.length - shown;
        output.push('... ' + more + ' more item' + (more > 1 ? 's' : ''));
        ctx.extraItems = true;
      }
      braces = [ctor && ctor !== 'Array' ? ctor + '(' + value.length + ') [' : '[', ']'];
    } else if (value instanceof Map) {
      for (const [k, v] of value) {
        output.push(formatValue(ctx, k, depth + 1, true) + ' => ' + formatValue(ctx, v, depth + 1, true));
      }
      output = output.concat(ownEntries(ctx, value, depth));
      braces = [(ctor || 'Map') + '(' + value.size + ') {', '}'];
    } else if (value instanceof Set) {
      for (const v of value) output.push(formatValue(ctx, v, depth + 1, true));
      output = output.concat(ownEntries(ctx, value, depth));
      braces = [(ctor || 'Set') + '(' + value.size + ') {', '}'];
    } else {
      output = ownEntries(ctx, value, depth);
      const prefix = ctor === null ? '[Object: null prototype] ' : ctor && ctor !== 'Object' ? ctor + ' ' : '';
      braces = [prefix + '{', '}'];
    }
    ctx.indentation = saved;
    ctx.seen.pop();
    let result;
    if (output.length === 0) {
      result = isArray ? (braces[0] === '[' ? '[]' : braces[0] + ']') : braces[0] + '}';
    } else {
      result = reduceToSingleString(ctx, output, base, braces, isArray, depth, value);
    }
    return result;
  }

  function inspect(value) {
    return formatValue({ seen: [], indentation: 0, currentDepth: 0, extraItems: false }, value, 0, false);
  }

  function formatArgs(args) {
    if (args.length === 0) return '';
    let first = args[0];
    let rest = 1;
    let out = '';
    if (typeof first === 'string' && first.includes('%')) {
      out = first.replace(/%[sdifoOjc%]/g, (spec) => {
        if (spec === '%%') return '%';
        if (rest >= args.length) return spec;
        const arg = args[rest++];
        switch (spec) {
          case '%s': return typeof arg === 'string' ? arg : typeof arg === 'object' && arg !== null ? inspect(arg) : String(arg);
          case '%d': case '%i': {
            if (typeof arg === 'bigint') return arg + 'n';
            const n = Number(arg);
            return spec === '%i' ? formatNumber(Math.trunc(n)) : formatNumber(n);
          }
          case '%f': return formatNumber(parseFloat(arg));
          case '%j': try { return JSON.stringify(arg); } catch (e) { return '[Circular]'; }
          case '%c': return '';
          default: return inspect(arg);
        }
      });
    } else {
      out = inspect(first);
    }
    for (; rest < args.length; rest++) {
      out += ' ' + inspect(args[rest]);
    }
    return out;
  }

  let groupIndent = '';
  function printer(fd) {
    return function (...args) {
      let text = formatArgs(args);
      if (groupIndent) text = groupIndent + text.split('\n').join('\n' + groupIndent);
      write(fd, text + '\n');
    };
  }
  const counts = new Map();
  const timers = new Map();
  const console = {
    log: printer(1),
    info: printer(1),
    debug: printer(1),
    error: printer(2),
    warn: printer(2),
    trace: printer(2),
    dir: (value) => write(1, groupIndent + inspect(value) + '\n'),
    table: printer(1),
    group: (...label) => { if (label.length) printer(1)(...label); groupIndent += '  '; },
    groupEnd: () => { groupIndent = groupIndent.slice(2); },
    count: (label = 'default') => {
      const n = (counts.get(label) || 0) + 1;
      counts.set(label, n);
      write(1, groupIndent + label + ': ' + n + '\n');
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => timers.set(label, Date.now()),
    timeEnd: (label = 'default') => {
      const start = timers.get(label);
      if (start !== undefined) write(1, groupIndent + label + ': ' + (Date.now() - start) + 'ms\n');
      timers.delete(label);
    },
    assert: (ok, ...args) => { if (!ok) printer(2)('Assertion failed' + (args.length ? ': ' + formatArgs(args) : '')); },
  };
  console.timeLog = console.timeEnd;
  console.groupCollapsed = console.group;

  // The prompt goes to the host on its own channel, not to the output.
  function prompt(message) {
    return readLine(message === undefined ? undefined : String(message));
  }

  // Math.random, from the host's seed when it gives one (mulberry32: the
  // replays of an interactive run draw the same numbers), else Boa's own.
  const engineRandom = Math.random;
  let seeded = null;
  function seededRandom(seed) {
    let state = seed >>> 0;
    return function random() {
      state = (state + 0x6D2B79F5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  Object.defineProperty(Math, 'random', {
    value: function random() { return seeded ? seeded() : engineRandom(); },
    writable: true, configurable: true, enumerable: false,
  });

  const EXIT = { exit: true, code: 0 };
  const process = {
    argv: ['node', '/main.js'],
    env: {},
    platform: 'wasi',
    exitCode: undefined,
    exit(code) {
      EXIT.code = code === undefined ? (process.exitCode || 0) : Number(code) | 0;
      throw EXIT;
    },
    stdout: { write: (text) => { write(1, String(text)); return true; } },
    stderr: { write: (text) => { write(2, String(text)); return true; } },
  };

  // `const db = require('db')`: SQL on the exercise's database (in memory,
  // built anew for each run). Values go in `params`, bound to the `?` of
  // the statement in order: never pasted into the SQL's text.
  //   db.query(sql, params) → the rows, objects of their columns by name;
  //   db.run(sql, params)   → { changes, lastInsertRowid }.
  function statement(method, sql, params) {
    if (typeof sql !== 'string') {
      throw new TypeError('db.' + method + ' : le premier argument est la requête SQL, un texte');
    }
    if (params === undefined) params = [];
    if (!Array.isArray(params)) {
      throw new TypeError('db.' + method + ' : les paramètres se donnent dans un tableau, db.' + method + '(sql, [valeur1, valeur2])');
    }
    const values = params.map((value, index) => {
      const kind = typeof value;
      if (value === null || value === undefined || kind === 'number' || kind === 'string' || kind === 'bigint') return value;
      if (kind === 'boolean') return value ? 1 : 0;
      throw new TypeError('db.' + method + ' : le paramètre ' + (index + 1) + ' est ' + (Array.isArray(value) ? 'un tableau' : 'un ' + kind) + ' ; un paramètre est un nombre, un texte, un booléen ou null');
    });
    return execute(sql, values);
  }
  const db = Object.freeze({
    query(sql, params) { return statement('query', sql, params).rows; },
    run(sql, params) {
      const { changes, lastInsertRowid } = statement('run', sql, params);
      return { changes, lastInsertRowid };
    },
  });

  const modules = new Map();
  function normalize(path) {
    const parts = [];
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop(); else parts.push(part);
    }
    return parts.join('/');
  }
  function require(name) {
    if (name === 'db') return db;
    if (typeof name !== 'string' || !(name.startsWith('./') || name.startsWith('../') || name.startsWith('/'))) {
      const err = new Error("Cannot find module '" + name + "'");
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    }
    let path = normalize(name);
    if (!path.endsWith('.js') && !path.endsWith('.json')) path += '.js';
    if (modules.has(path)) return modules.get(path).exports;
    let source;
    try {
      source = readFile(path);
    } catch (e) {
      const err = new Error("Cannot find module '" + name + "'");
      err.code = 'MODULE_NOT_FOUND';
      throw err;
    }
    const module = { exports: {} };
    modules.set(path, module);
    if (path.endsWith('.json')) {
      module.exports = JSON.parse(source);
    } else {
      compileModule(path, source)(module, module.exports, require);
    }
    return module.exports;
  }

  const pending = [];
  let nextTimer = 1;
  function setTimeout(fn, delay, ...args) {
    const id = nextTimer++;
    pending.push({ id, at: Number(delay) || 0, seq: id, fn, args });
    return id;
  }
  function clearTimeout(id) {
    const i = pending.findIndex((t) => t.id === id);
    if (i >= 0) pending.splice(i, 1);
  }

  const hidden = (value) => ({ value, writable: true, configurable: true, enumerable: false });
  Object.defineProperties(globalThis, {
    console: hidden(console),
    prompt: hidden(prompt),
    readline: hidden(() => readLine(undefined)),
    process: hidden(process),
    require: hidden(require),
    module: hidden({ exports: {} }),
    setTimeout: hidden(setTimeout),
    clearTimeout: hidden(clearTimeout),
    setInterval: hidden(setTimeout),
    clearInterval: hidden(clearTimeout),
    setImmediate: hidden((fn, ...args) => setTimeout(fn, 0, ...args)),
    queueMicrotask: hidden((fn) => { Promise.resolve().then(fn); }),
    // Used by the guest (lib.rs) once the program's script has run.
    __fabrique: hidden({
      // Before each run: the seed of Math.random, or undefined for fresh ones.
      startRun(seed) { seeded = seed === undefined ? null : seededRandom(seed); },
      // Returns the exit code when `error` is `process.exit`, or undefined.
      exitCode(error) { return error === EXIT ? EXIT.code : undefined; },
      // Prints an uncaught error as Node does, on stderr.
      reportError(error) {
        const text = error instanceof Error ? formatError(error) : 'Uncaught ' + inspect(error);
        write(2, text + '\n');
      },
      // Runs the next timer, if any; returns false when none are left.
      runNextTimer() {
        if (pending.length === 0) return false;
        let best = 0;
        for (let i = 1; i < pending.length; i++) {
          if (pending[i].at < pending[best].at || (pending[i].at === pending[best].at && pending[i].seq < pending[best].seq)) best = i;
        }
        const timer = pending.splice(best, 1)[0];
        timer.fn(...timer.args);
        return true;
      },
      finalExitCode() { return process.exitCode === undefined ? 0 : Number(process.exitCode) | 0; },
      // For graders: formats a value as console.log would show it nested.
      inspect(value) { return formatValue({ seen: [], indentation: 0, currentDepth: 0, extraItems: false }, value, 0, true); },
      // For graders: formats an error as an uncaught one is printed.
      formatError(error) { return error instanceof Error ? formatError(error) : 'Uncaught ' + inspect(error); },
      // For graders: runs another file of the run directory as a script of
      // its own (its top-level declarations become global, its errors keep
      // their own file name and lines), then its promise jobs and timers.
      runFile(path) { runFile(path); },
    }),
  });
})();
