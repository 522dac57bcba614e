// Fabrique's pages: makes the exercises of a lesson interactive.
// - the code editor (CodeMirror, from `/static/editor.js`): colours, tab
//   indents, automatic indentation, Ctrl+Enter runs, the line of an error
//   highlighted; usable with a keyboard and a screen reader (Escape then
//   Tab leaves it); the plain textarea when the editor cannot load; an
//   exercise of several files shows them as tabs (arrow keys go from one
//   to the next), and an error's line is shown in its file;
// - « Exécuter » runs the code with the learner's input; when the program
//   asks a question (`input()`, `prompt()`), a field under its output takes
//   the answer and the program runs again with it (same random numbers);
//   « Valider » grades it; results are written in a live region, so they
//   are announced;
// - hints are revealed one at a time; drafts are saved as the learner types;
// - what a Python program drew with `turtle` is shown as SVG, animated at
//   the program's speed (skippable, and never with reduced motion), with a
//   text alternative and a link to download it.
// Nothing fetched from outside: it works on a LAN without internet, and
// this file in older browsers (ES2017).
(function () {
  'use strict';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';

  function api(method, url, body) {
    var options = { method: method, headers: { 'X-CSRF-Token': csrf }, credentials: 'same-origin' };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(url, options).then(function (response) {
      return response.text().then(function (text) {
        var data = null;
        try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
        if (!response.ok) {
          var message = data && data.error ? data.error.message : 'erreur ' + response.status;
          var error = new Error(message);
          error.status = response.status;
          error.code = data && data.error ? data.error.code : null;
          error.retryAfter = parseInt(response.headers.get('Retry-After'), 10) || 0;
          throw error;
        }
        return data;
      });
    });
  }

  // A run or a submission refused because the server's sandbox is full (503),
  // or because this account's previous program, from another tab, has not
  // finished (429 already_running), was not taken: it is sent again after
  // the wait the server asks for (Retry-After), a few times, and
  // `onWait(seconds, error)` tells the learner.
  var BUSY_TRIES = 4;

  function mayRetry(error) {
    return error.retryAfter && (error.status === 503 || error.code === 'already_running');
  }

  function apiWhenFree(method, url, body, onWait) {
    function attempt(left) {
      return api(method, url, body).catch(function (error) {
        if (!mayRetry(error) || left <= 1) throw error;
        onWait(error.retryAfter, error);
        return new Promise(function (resolve) {
          setTimeout(resolve, error.retryAfter * 1000);
        }).then(function () { return attempt(left - 1); });
      });
    }
    return attempt(BUSY_TRIES);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ---- the editor -------------------------------------------------------
  // CodeMirror (`/static/editor.js`, on lesson pages) in place of the
  // textarea; the textarea itself when that bundle did not load or failed.
  // Either way `area.value` is the code.
  function startEditor(area, language, label, onRun) {
    if (!window.FabriqueEditor) return null;
    try {
      return window.FabriqueEditor.create(area, { language: language, label: label, onRun: onRun });
    } catch (e) {
      area.hidden = false;
      return null;
    }
  }

  // ---- results ----------------------------------------------------------
  // `named`: the program has several files, so the box names the error's.
  function explanationBox(explanation, named) {
    var box = el('div', 'explanation');
    box.appendChild(el('p', 'explanation-title', explanation.title));
    if (named && explanation.file) box.appendChild(el('p', 'file-name', 'Dans le fichier ' + explanation.file));
    box.appendChild(el('p', null, explanation.message));
    if (explanation.excerpt) box.appendChild(el('pre', 'excerpt', explanation.excerpt));
    if (explanation.raw) {
      var details = el('details');
      details.appendChild(el('summary', null, 'Message d\u2019origine'));
      details.appendChild(el('pre', null, explanation.raw));
      box.appendChild(details);
    }
    return box;
  }

  var STATUS_TEXT = {
    exited: 'Programme terminé',
    time_limit: 'Temps dépassé',
    memory_limit: 'Mémoire dépassée',
    output_limit: 'Trop de texte affiché',
    crashed: 'Arrêt inattendu',
    needs_input: 'Ton programme te pose une question'
  };

  // The most questions a run may have answered (the server's limit).
  var MAX_ANSWERS = 50;

  // What the program printed, as a terminal shows it: each question's
  // prompt where it was asked, followed by its answer (the lines of
  // `answers`: the « Entrée » box's, then those typed in the page).
  function transcript(result, answers) {
    var pre = el('pre', 'output');
    var chars = Array.from(result.stdout || '');
    var at = 0;
    (result.prompts || []).forEach(function (question, i) {
      pre.appendChild(document.createTextNode(chars.slice(at, question.at).join('')));
      at = Math.max(at, question.at);
      if (question.text) pre.appendChild(el('span', 'prompt', question.text));
      if (i < answers.length) {
        pre.appendChild(el('span', 'answer', answers[i]));
        pre.appendChild(document.createTextNode('\n'));
      }
    });
    pre.appendChild(document.createTextNode(chars.slice(at).join('')));
    if (!pre.textContent) pre.textContent = result.drawing ? '(rien d\u2019affiché)' : '(rien)';
    return pre;
  }

  // A value of a SQL result, as SQLite gave it (`null`, `{integer: 3}`…).
  function cellText(cell) {
    if (cell === 'null') return 'NULL';
    if (cell.blob !== undefined) return "x'" + cell.blob + "'";
    var value = cell.integer !== undefined ? cell.integer : cell.real !== undefined ? cell.real : cell.text;
    return String(value);
  }

  // The number of rows in words: « 3 lignes », « aucune ligne ».
  function rowsText(count, word) {
    if (count === 0) return 'aucune ligne' + (word ? ' ' + word : '');
    return count + (count === 1 ? ' ligne' : ' lignes') + (word ? ' ' + word + (count === 1 ? '' : 's') : '');
  }

  // The most rows of a result shown in the page.
  var SHOWN_ROWS = 100;

  // A SQL program's results as tables (what its output draws in boxes,
  // which a screen reader would read as box characters), each captioned
  // with its line; a statement that changed rows says how many.
  function resultTables(tables) {
    var box = el('div', 'sql-results');
    tables.forEach(function (result) {
      if (result.error) return;
      if (!result.columns.length) {
        if (result.changes !== null && result.changes !== undefined) {
          box.appendChild(el('p', 'sql-changes', 'Ligne ' + result.line + ' : ' + rowsText(result.changes, 'concernée') + '.'));
        }
        return;
      }
      var wrap = el('div', 'sql-table');
      var table = el('table');
      var shown = result.rows.slice(0, SHOWN_ROWS);
      var caption = 'Ligne ' + result.line + ' : ' + rowsText(result.row_count);
      if (shown.length < result.row_count) caption += ', les ' + shown.length + ' premières affichées';
      table.appendChild(el('caption', null, caption));
      var head = el('thead');
      var headRow = el('tr');
      result.columns.forEach(function (column) {
        var th = el('th', null, column.name);
        th.setAttribute('scope', 'col');
        headRow.appendChild(th);
      });
      head.appendChild(headRow);
      table.appendChild(head);
      var body = el('tbody');
      shown.forEach(function (row) {
        var tr = el('tr');
        row.forEach(function (cell) {
          tr.appendChild(el('td', cell === 'null' ? 'null' : null, cellText(cell)));
        });
        body.appendChild(tr);
      });
      table.appendChild(body);
      wrap.appendChild(table);
      // A wide table scrolls: its frame takes the keyboard's focus.
      wrap.tabIndex = 0;
      wrap.setAttribute('role', 'region');
      wrap.setAttribute('aria-label', caption);
      box.appendChild(wrap);
    });
    return box;
  }

  function showRun(result, region, answers, named) {
    region.textContent = '';
    var ok = result.status === 'exited' && result.exit_code === 0;
    var asking = result.status === 'needs_input';
    region.appendChild(el('p', ok || asking ? 'summary ok' : 'summary ko',
      (ok ? '✔ ' : asking ? '? ' : '✘ ') + (STATUS_TEXT[result.status] || result.status) +
      (ok || asking ? '' : ' (avec une erreur)')));
    if (result.tables && result.tables.length) {
      region.appendChild(el('p', 'label', 'Résultats :'));
      region.appendChild(resultTables(result.tables));
    } else {
      region.appendChild(el('p', 'label', 'Sortie :'));
      region.appendChild(transcript(result, answers));
    }
    if (asking) return;
    if (result.drawing) showDrawing(result.drawing, region);
    if (result.explanation) region.appendChild(explanationBox(result.explanation, named));
    else if (result.stderr) region.appendChild(el('pre', 'stderr', result.stderr));
  }

  // ---- drawings (Python's turtle) ----------------------------------------
  var SVG_NS = 'http://www.w3.org/2000/svg';
  var REDUCED_MOTION = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // The longest an animation may last, in milliseconds.
  var MAX_ANIMATION = 8000;

  function drawingSummary(drawing) {
    var counts = { line: 0, fill: 0, dot: 0, text: 0 };
    drawing.ops.forEach(function (op) { if (counts[op.op] !== undefined) counts[op.op]++; });
    var words = [['line', 'trait', 'traits'], ['fill', 'forme remplie', 'formes remplies'],
      ['dot', 'point', 'points'], ['text', 'texte', 'textes']];
    var parts = [];
    words.forEach(function (w) {
      var n = counts[w[0]];
      if (n > 0) parts.push(n + ' ' + (n === 1 ? w[1] : w[2]));
    });
    return parts.length ? 'Dessin : ' + parts.join(', ') : 'Dessin vide';
  }

  function svgNode(tag, attributes) {
    var node = document.createElementNS(SVG_NS, tag);
    for (var name in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, name)) node.setAttribute(name, attributes[name]);
    }
    return node;
  }

  // The drawing as an SVG element (turtle's y axis points up, SVG's down),
  // and the elements to reveal in order with the time each one takes.
  function buildDrawing(drawing, summary) {
    var min = [0, 0], max = [0, 0];
    function include(p, pad) {
      min[0] = Math.min(min[0], p[0] - pad); min[1] = Math.min(min[1], p[1] - pad);
      max[0] = Math.max(max[0], p[0] + pad); max[1] = Math.max(max[1], p[1] + pad);
    }
    var background = '#ffffff';
    drawing.ops.forEach(function (op) {
      if (op.op === 'line') { include(op.from, op.width / 2); include(op.to, op.width / 2); }
      else if (op.op === 'fill') op.points.forEach(function (p) { include(p, 0); });
      else if (op.op === 'dot') include(op.at, op.size / 2);
      else if (op.op === 'text') {
        var size = op.size * 4 / 3, width = op.text.length * size * 0.6;
        include(op.at, 0); include([op.at[0] - width, op.at[1] + size], 0); include([op.at[0] + width, op.at[1] + size], 0);
      } else if (op.op === 'background') background = op.color;
    });
    var margin = 20;
    var x = min[0] - margin, y = -max[1] - margin;
    var w = Math.max(max[0] - min[0] + 2 * margin, 1), h = Math.max(max[1] - min[1] + 2 * margin, 1);
    var svg = svgNode('svg', { xmlns: SVG_NS, viewBox: [x, y, w, h].join(' '), role: 'img', 'aria-label': summary });
    svg.appendChild(svgNode('title', {})).textContent = summary;
    svg.appendChild(svgNode('rect', { x: x, y: y, width: w, height: h, fill: background }));
    // Fills go under the lines, as with CPython's turtle.
    var fills = svg.appendChild(svgNode('g', { 'class': 'fills' }));
    var strokes = svg.appendChild(svgNode('g', { 'class': 'strokes' }));
    var steps = [];
    var speed = 3;
    var anchors = { left: 'start', center: 'middle', right: 'end' };
    drawing.ops.forEach(function (op) {
      var node = null, length = 0;
      if (op.op === 'speed') { speed = op.speed; return; }
      if (op.op === 'line') {
        node = strokes.appendChild(svgNode('line', { x1: op.from[0], y1: -op.from[1], x2: op.to[0], y2: -op.to[1],
          stroke: op.color, 'stroke-width': op.width, 'stroke-linecap': 'round' }));
        length = Math.sqrt(Math.pow(op.to[0] - op.from[0], 2) + Math.pow(op.to[1] - op.from[1], 2));
      } else if (op.op === 'fill') {
        node = fills.appendChild(svgNode('polygon', { fill: op.color,
          points: op.points.map(function (p) { return p[0] + ',' + (-p[1]); }).join(' ') }));
      } else if (op.op === 'dot') {
        node = strokes.appendChild(svgNode('circle', { cx: op.at[0], cy: -op.at[1], r: op.size / 2, fill: op.color }));
      } else if (op.op === 'text') {
        node = strokes.appendChild(svgNode('text', { x: op.at[0], y: -op.at[1], fill: op.color, 'font-size': op.size * 4 / 3,
          'font-family': 'sans-serif', 'text-anchor': anchors[op.align] || 'start' }));
        node.textContent = op.text;
      }
      // Speed 1 (slowest) to 10 (fast): steps per millisecond; 0: at once.
      if (node) steps.push({ node: node, time: speed === 0 ? 0 : Math.max(length / (speed * 0.12), 4) });
    });
    return { svg: svg, steps: steps };
  }

  function showDrawing(drawing, region) {
    var summary = drawingSummary(drawing);
    var built = buildDrawing(drawing, summary);
    var figure = el('figure', 'drawing');
    var frame = el('div', 'drawing-frame');
    frame.appendChild(built.svg);
    figure.appendChild(frame);
    var caption = el('figcaption', null, summary + (drawing.truncated ? ' (dessin arrêté : trop de traits)' : '') + '.');
    figure.appendChild(caption);
    var tools = el('p', 'drawing-tools');
    var text = new XMLSerializer().serializeToString(built.svg);
    var link = el('a', 'download', 'Télécharger le dessin (SVG)');
    link.href = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(text);
    link.setAttribute('download', 'dessin.svg');
    tools.appendChild(link);
    figure.appendChild(tools);
    region.appendChild(figure);

    var total = built.steps.reduce(function (sum, step) { return sum + step.time; }, 0);
    if (REDUCED_MOTION || total === 0) return;
    var scale = total > MAX_ANIMATION ? MAX_ANIMATION / total : 1;
    built.steps.forEach(function (step) { step.node.style.visibility = 'hidden'; });
    var skip = el('button', 'skip-animation', 'Passer l\u2019animation');
    skip.type = 'button';
    tools.insertBefore(skip, link);
    var shown = 0, started = null, frameId = null;
    function finish() {
      if (frameId !== null) window.cancelAnimationFrame(frameId);
      for (; shown < built.steps.length; shown++) built.steps[shown].node.style.visibility = '';
      var hadFocus = document.activeElement === skip;
      if (skip.parentNode) skip.parentNode.removeChild(skip);
      if (hadFocus) link.focus();
    }
    var elapsed = 0;
    function tick(now) {
      if (started === null) started = now;
      var budget = (now - started) / scale;
      while (shown < built.steps.length && elapsed + built.steps[shown].time <= budget) {
        elapsed += built.steps[shown].time;
        built.steps[shown].node.style.visibility = '';
        shown++;
      }
      if (shown < built.steps.length) frameId = window.requestAnimationFrame(tick);
      else finish();
    }
    skip.addEventListener('click', finish);
    frameId = window.requestAnimationFrame(tick);
  }

  var TEST_STATUS = {
    pass: '✔ réussi', fail: '✘ pas encore', error: '✘ erreur', time_limit: '⏱ temps dépassé',
    memory_limit: '✘ mémoire dépassée', output_limit: '✘ trop de texte', broken: '⚠ test en panne'
  };

  // `files`: the names of the exercise's editable files, in its order,
  // when it has several (an unlocked solution is shown file by file).
  function showGrade(data, region, section, files) {
    var named = files.length > 0;
    var report = data.report;
    region.textContent = '';
    var summary = report.passed
      ? '✔ Bravo ! Exercice réussi : ' + report.score + ' / ' + report.max_score + ' points.'
      : '✘ Pas encore : ' + report.score + ' / ' + report.max_score + ' points. Regarde ce qui manque ci-dessous.';
    region.appendChild(el('p', report.passed ? 'summary ok' : 'summary ko', summary));
    if (report.drawing) showDrawing(report.drawing, region);
    if (report.explanation) region.appendChild(explanationBox(report.explanation, named));
    var list = el('ul', 'test-results');
    report.tests.forEach(function (test) {
      var item = el('li', 'test ' + test.status);
      item.appendChild(el('span', 'test-status', TEST_STATUS[test.status] || test.status));
      item.appendChild(document.createTextNode(' ' + test.name + ' (' + test.points + '/' + test.max_points + ')'));
      if (test.message) item.appendChild(el('p', 'test-message', test.message));
      if (test.status !== 'pass' && !test.hidden && test.expected !== null && test.actual !== null) {
        var compare = el('div', 'compare');
        compare.appendChild(el('p', 'label', 'Attendu :'));
        compare.appendChild(el('pre', null, test.expected));
        compare.appendChild(el('p', 'label', 'Obtenu :'));
        compare.appendChild(el('pre', null, test.actual));
        item.appendChild(compare);
      }
      list.appendChild(item);
    });
    region.appendChild(list);
    if (!report.passed) {
      var next = report.explanation ? 'Corrige l\u2019erreur expliquée ci-dessus, puis valide à nouveau.'
        : 'Compare ce qui est attendu avec ce que ton programme affiche. Besoin d\u2019aide ? Demande un indice.';
      region.appendChild(el('p', 'next', next));
    }
    if (data.solution && !section.querySelector('details.solution')) {
      var details = el('details', 'solution');
      details.appendChild(el('summary', null, 'Voir une solution'));
      // A text (of the one editable file), or each file's text by name.
      var texts = data.solution;
      if (typeof texts === 'string') {
        texts = {};
        texts[named ? files[0] : ''] = data.solution;
      }
      (named ? files : ['']).forEach(function (name) {
        if (texts[name] === undefined) return;
        if (name) details.appendChild(el('p', 'file-name', name));
        var pre = el('pre');
        pre.appendChild(el('code', null, texts[name]));
        details.appendChild(pre);
      });
      section.appendChild(details);
    }
  }

  function showError(error, region) {
    region.textContent = '';
    var text = error.status === 401 ? 'Connecte-toi pour exécuter ton code.' : error.message;
    region.appendChild(el('p', 'summary ko', '✘ ' + text));
  }

  // ---- the files of an exercise -------------------------------------------
  // Turns the files shown one under the other into tabs: a tab list
  // (Left and Right arrows, Home and End go from tab to tab, as in the
  // ARIA pattern) over one file at a time. Returns { select(index) }.
  function fileTabs(group) {
    var panels = Array.prototype.slice.call(group.querySelectorAll('.file'));
    var list = el('div', 'file-tabs');
    list.setAttribute('role', 'tablist');
    list.setAttribute('aria-label', group.getAttribute('aria-label'));
    group.removeAttribute('role');
    group.removeAttribute('aria-label');
    var tabs = panels.map(function (panel, i) {
      var area = panel.querySelector('textarea.code');
      var tab = el('button', 'file-tab', area.getAttribute('data-file'));
      if (area.readOnly) tab.appendChild(el('span', 'meta', ' (' + group.getAttribute('data-read-only') + ')'));
      tab.type = 'button';
      tab.id = 'onglet-' + panel.id;
      tab.setAttribute('role', 'tab');
      tab.setAttribute('aria-controls', panel.id);
      panel.setAttribute('role', 'tabpanel');
      panel.setAttribute('aria-labelledby', tab.id);
      tab.addEventListener('click', function () { select(i); });
      list.appendChild(tab);
      return tab;
    });
    function select(index, focus) {
      tabs.forEach(function (tab, i) {
        tab.setAttribute('aria-selected', i === index ? 'true' : 'false');
        tab.tabIndex = i === index ? 0 : -1;
        panels[i].hidden = i !== index;
      });
      if (focus) tabs[index].focus();
    }
    list.addEventListener('keydown', function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      var next = { ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      select((next + tabs.length) % tabs.length, true);
    });
    group.insertBefore(list, group.firstChild);
    // The learner's work is in the first file they may change.
    var first = panels.findIndex(function (panel) { return !panel.querySelector('textarea.code').readOnly; });
    select(Math.max(first, 0));
    return { select: select };
  }

  // ---- one exercise -----------------------------------------------------
  function setupExercise(section) {
    var id = section.getAttribute('data-exercise');
    var language = section.getAttribute('data-language');
    var areas = Array.prototype.slice.call(section.querySelectorAll('textarea.code'));
    var stdin = section.querySelector('textarea.stdin');
    var region = section.querySelector('.result');
    var buttons = section.querySelectorAll('.actions button');
    if (!areas.length) return;
    var several = areas.length > 1;

    // The learner's code as the server takes it: the text of the one file,
    // or each editable file's text by name.
    function codeOf() {
      if (!several) return areas[0].value;
      var files = {};
      areas.forEach(function (area) {
        if (!area.readOnly) files[area.getAttribute('data-file')] = area.value;
      });
      return files;
    }
    function sameCode(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
    var editableNames = areas.filter(function (area) { return !area.readOnly; })
      .map(function (area) { return area.getAttribute('data-file'); });

    function busy(on) {
      running = on;
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
      section.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    function waiting(seconds, error) {
      region.textContent = (error.code === 'already_running'
        ? 'Ton programme précédent tourne encore (dans un autre onglet ?)'
        : 'Beaucoup de monde en même temps') + ' : nouvel essai dans ' + seconds + ' s…';
    }

    // The line an explained error is on, highlighted in the editor of its
    // file (whose tab is then shown).
    function markError(explanation) {
      var line = explanation && explanation.line ? explanation.line : null;
      areas.forEach(function (area, i) {
        var here = line !== null && (!several || area.getAttribute('data-file') === explanation.file);
        if (editors[i]) editors[i].markLine(here ? line : null);
        if (!here || !tabs) return;
        // The focus, if it was in a file now hidden, follows the error.
        var panel = area.closest('.file');
        var moved = group.contains(document.activeElement) && !panel.contains(document.activeElement);
        tabs.select(i);
        if (moved && editors[i]) editors[i].focus();
      });
    }

    // A run is a conversation: the program runs again with each answer the
    // learner gives, on the code and input it started with, drawing the
    // same random numbers (the conversation's seed). With lines in the
    // « Entrée » box the program reads them and nothing more, as before.
    var conversation = null;
    var asking = null;
    var running = false;

    function run() {
      // A web page is not run: Ctrl+Enter shows it at once.
      if (language === 'html') return showPage();
      if (!region || !buttons.length || running) return;
      markError(null);
      var given = stdin ? stdin.value : '';
      conversation = {
        code: codeOf(),
        stdin: given,
        interactive: given === '',
        seed: Math.floor(Math.random() * 4294967296),
        answers: []
      };
      replay(false);
    }

    function stopAsking() {
      if (asking && asking.parentNode) asking.parentNode.removeChild(asking);
      asking = null;
    }

    // Runs the conversation's program again with its answers so far; with
    // `ending`, they are its whole input (the learner ended it).
    function replay(ending) {
      var talk = conversation;
      var hadFocus = asking !== null && asking.contains(document.activeElement);
      stopAsking();
      busy(true);
      region.textContent = 'Exécution…';
      var lines = talk.answers.map(function (answer) { return answer + '\n'; }).join('');
      var body = { language: language, code: talk.code, stdin: talk.stdin, exercise_id: id };
      if (talk.interactive && !ending) {
        body.answers = talk.answers;
        body.seed = talk.seed;
      } else if (ending) {
        body.stdin = lines;
        body.seed = talk.seed;
      }
      apiWhenFree('POST', '/api/run', body, waiting)
        .then(function (result) {
          if (talk !== conversation) return;
          var given = talk.stdin.split('\n');
          if (given[given.length - 1] === '') given.pop();
          showRun(result, region, given.concat(talk.answers), several);
          if (result.status === 'needs_input') return askLearner(result);
          if (sameCode(codeOf(), talk.code)) markError(result.explanation);
          // The answer field is gone: the focus goes to the result.
          if (hadFocus) region.focus();
        }, function (error) { if (talk === conversation) showError(error, region); })
        .then(function () { if (talk === conversation) busy(false); });
    }

    // The field where the learner answers the program's question, right
    // under its output (after the result's live region, so that only the
    // result is announced); Enter sends the answer, « Fin de l'entrée »
    // lets the program read the end of its input.
    function askLearner(result) {
      if (conversation.answers.length >= MAX_ANSWERS) {
        region.appendChild(el('p', 'summary ko', '✘ Ton programme a posé plus de ' + MAX_ANSWERS +
          ' questions : il s\u2019arrête là. Vérifie la boucle qui pose les questions.'));
        return;
      }
      var form = el('form', 'answer');
      var field = el('input');
      field.type = 'text';
      field.id = 'reponse-' + id;
      field.autocomplete = 'off';
      field.spellcheck = false;
      var label = el('label', null, 'Ta réponse');
      label.htmlFor = field.id;
      var prompts = region.querySelectorAll('pre.output .prompt');
      var question = result.prompts && result.prompts.length && result.prompts[result.prompts.length - 1].text;
      if (question && prompts.length) {
        prompts[prompts.length - 1].id = 'question-' + id;
        field.setAttribute('aria-describedby', 'question-' + id);
      }
      var send = el('button', null, 'Envoyer');
      send.type = 'submit';
      var end = el('button', 'end-input', 'Fin de l\u2019entrée');
      end.type = 'button';
      form.appendChild(label);
      form.appendChild(field);
      form.appendChild(send);
      form.appendChild(end);
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        conversation.answers.push(field.value);
        replay(false);
      });
      end.addEventListener('click', function () { replay(true); });
      region.parentNode.insertBefore(form, region.nextSibling);
      asking = form;
      field.focus();
    }

    function submit() {
      if (running) return;
      conversation = null;
      stopAsking();
      busy(true);
      region.textContent = 'Vérification…';
      apiWhenFree('POST', '/api/exercises/' + encodeURIComponent(id) + '/submissions', { code: codeOf() }, waiting)
        .then(function (data) {
          showGrade(data, region, section, several ? editableNames : []);
          markError(data.report.explanation);
        }, function (error) { showError(error, region); })
        .then(function () { busy(false); });
    }

    function hint() {
      var list = section.querySelector('ol.hints');
      api('POST', '/api/exercises/' + encodeURIComponent(id) + '/hints').then(function (data) {
        list.textContent = '';
        data.hints.forEach(function (text) { list.appendChild(el('li', null, text)); });
        region.textContent = 'Indice ' + data.hints.length + ' sur ' + data.hints_total + ' : ' + data.hints[data.hints.length - 1];
        if (data.hints.length >= data.hints_total) {
          var button = section.querySelector('button.hint');
          if (button) button.disabled = true;
        }
      }, function (error) { showError(error, region); });
    }

    var timer = null;
    function saveDraft() {
      if (!buttons.length) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        api('PUT', '/api/exercises/' + encodeURIComponent(id) + '/draft', { code: codeOf() }).catch(function () {});
      }, 1500);
    }

    // A web page shows beside its editor as the learner types.
    var preview = null;
    var shown = null;
    var container = section.querySelector('.preview');
    if (language === 'html' && container && window.FabriquePreview) {
      preview = window.FabriquePreview.attach(container, section.getAttribute('data-entry'),
        container.getAttribute('data-label'));
    }
    function showPage() {
      if (!preview) return;
      clearTimeout(shown);
      shown = setTimeout(function () {
        var files = {};
        areas.forEach(function (area) { files[area.getAttribute('data-file')] = area.value; });
        preview.show(files);
      }, 300);
    }

    var editors = areas.map(function (area) {
      area.addEventListener('input', saveDraft);
      area.addEventListener('input', showPage);
      var label = section.querySelector('label[for="' + area.id + '"]');
      // A web page's style sheets are CSS.
      var mode = language === 'html' && /\.css$/.test(area.getAttribute('data-file')) ? 'css' : language;
      return startEditor(area, mode, label ? label.id : null, run);
    });
    showPage();
    var group = section.querySelector('.files');
    var tabs = several && group ? fileTabs(group) : null;
    section.addEventListener('click', function (event) {
      var action = event.target.getAttribute && event.target.getAttribute('data-action');
      if (action === 'run') run();
      else if (action === 'submit') submit();
      else if (action === 'hint') hint();
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var sections = document.querySelectorAll('section.exercise');
    for (var i = 0; i < sections.length; i++) setupExercise(sections[i]);
    // When the lesson's editors are in place (measured by the lesson page
    // benchmark).
    if (sections.length && performance.mark) performance.mark('editor-ready');
  });
})();
