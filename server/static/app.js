// Fabrique's pages: makes the exercises of a lesson interactive.
// - the code editor: a plain textarea made pleasant (tab indents, automatic
//   indentation, line numbers, Ctrl+Enter runs), usable with a keyboard and
//   a screen reader (Escape then Tab leaves it);
// - « Exécuter » runs the code with the learner's input, « Valider » grades
//   it; results are written in a live region, so they are announced;
// - hints are revealed one at a time; drafts are saved as the learner types.
// No library, nothing fetched from outside: it works on a LAN without
// internet and in older browsers (ES2017).
(function () {
  'use strict';
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var INDENT = '    ';

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
          throw error;
        }
        return data;
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // ---- the editor -------------------------------------------------------
  function lineStart(value, index) {
    return value.lastIndexOf('\n', index - 1) + 1;
  }

  function replaceRange(area, start, end, text, selectStart, selectEnd) {
    area.setRangeText(text, start, end, 'end');
    if (selectStart !== undefined) area.setSelectionRange(selectStart, selectEnd);
    area.dispatchEvent(new Event('input'));
  }

  function enhanceEditor(area, language, onRun) {
    var wrapper = area.parentNode;
    var gutter = el('div', 'gutter');
    gutter.setAttribute('aria-hidden', 'true');
    wrapper.insertBefore(gutter, area);
    var leaving = false;

    function renumber() {
      var lines = area.value.split('\n').length;
      if (gutter.childNodes.length === lines) return;
      var text = '';
      for (var i = 1; i <= lines; i++) text += i + '\n';
      gutter.textContent = text;
    }
    area.addEventListener('input', renumber);
    area.addEventListener('scroll', function () { gutter.scrollTop = area.scrollTop; });
    renumber();

    area.addEventListener('keydown', function (event) {
      var value = area.value;
      var start = area.selectionStart;
      var end = area.selectionEnd;
      if (event.key === 'Escape') { leaving = true; return; }
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        onRun();
        return;
      }
      if (event.key === 'Tab' && !leaving && !event.altKey && !event.ctrlKey) {
        event.preventDefault();
        var first = lineStart(value, start);
        if (event.shiftKey || start !== end) {
          // Indent or unindent every selected line.
          var block = value.slice(first, end);
          var lines = block.split('\n');
          var changed = lines.map(function (line) {
            if (!event.shiftKey) return INDENT + line;
            var remove = 0;
            while (remove < INDENT.length && line.charAt(remove) === ' ') remove++;
            return line.slice(remove);
          }).join('\n');
          replaceRange(area, first, end, changed, first, first + changed.length);
        } else {
          replaceRange(area, start, end, INDENT);
        }
        return;
      }
      leaving = false;
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        var current = value.slice(lineStart(value, start), start);
        var indent = current.match(/^[ \t]*/)[0];
        var trimmed = current.replace(/\s+$/, '');
        var opens = language === 'python' ? /:$/.test(trimmed) : /[{[(]$/.test(trimmed);
        if (opens) indent += INDENT;
        replaceRange(area, start, end, '\n' + indent);
      }
    });
    area.addEventListener('blur', function () { leaving = false; });
  }

  // ---- results ----------------------------------------------------------
  function explanationBox(explanation) {
    var box = el('div', 'explanation');
    box.appendChild(el('p', 'explanation-title', explanation.title));
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
    crashed: 'Arrêt inattendu'
  };

  function showRun(result, region) {
    region.textContent = '';
    var ok = result.status === 'exited' && result.exit_code === 0;
    region.appendChild(el('p', ok ? 'summary ok' : 'summary ko',
      (ok ? '✔ ' : '✘ ') + (STATUS_TEXT[result.status] || result.status) + (ok ? '' : ' (avec une erreur)')));
    region.appendChild(el('p', 'label', 'Sortie :'));
    region.appendChild(el('pre', 'output', result.stdout || '(rien)'));
    if (result.explanation) region.appendChild(explanationBox(result.explanation));
    else if (result.stderr) region.appendChild(el('pre', 'stderr', result.stderr));
  }

  var TEST_STATUS = {
    pass: '✔ réussi', fail: '✘ pas encore', error: '✘ erreur', time_limit: '⏱ temps dépassé',
    memory_limit: '✘ mémoire dépassée', output_limit: '✘ trop de texte', broken: '⚠ test en panne'
  };

  function showGrade(data, region, section) {
    var report = data.report;
    region.textContent = '';
    var summary = report.passed
      ? '✔ Bravo ! Exercice réussi : ' + report.score + ' / ' + report.max_score + ' points.'
      : '✘ Pas encore : ' + report.score + ' / ' + report.max_score + ' points. Regarde ce qui manque ci-dessous.';
    region.appendChild(el('p', report.passed ? 'summary ok' : 'summary ko', summary));
    if (report.explanation) region.appendChild(explanationBox(report.explanation));
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
      var pre = el('pre');
      pre.appendChild(el('code', null, data.solution));
      details.appendChild(pre);
      section.appendChild(details);
    }
  }

  function showError(error, region) {
    region.textContent = '';
    var text = error.status === 401 ? 'Connecte-toi pour exécuter ton code.' : error.message;
    region.appendChild(el('p', 'summary ko', '✘ ' + text));
  }

  // ---- one exercise -----------------------------------------------------
  function setupExercise(section) {
    var id = section.getAttribute('data-exercise');
    var language = section.getAttribute('data-language');
    var area = section.querySelector('textarea.code');
    var stdin = section.querySelector('textarea.stdin');
    var region = section.querySelector('.result');
    var buttons = section.querySelectorAll('.actions button');
    if (!area) return;

    function busy(on) {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = on;
      section.setAttribute('aria-busy', on ? 'true' : 'false');
    }

    function run() {
      if (!region || !buttons.length) return;
      busy(true);
      region.textContent = 'Exécution…';
      api('POST', '/api/run', { language: language, code: area.value, stdin: stdin ? stdin.value : '', exercise_id: id })
        .then(function (result) { showRun(result, region); }, function (error) { showError(error, region); })
        .then(function () { busy(false); });
    }

    function submit() {
      busy(true);
      region.textContent = 'Vérification…';
      api('POST', '/api/exercises/' + encodeURIComponent(id) + '/submissions', { code: area.value })
        .then(function (data) { showGrade(data, region, section); }, function (error) { showError(error, region); })
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
    area.addEventListener('input', function () {
      if (!buttons.length) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        api('PUT', '/api/exercises/' + encodeURIComponent(id) + '/draft', { code: area.value }).catch(function () {});
      }, 1500);
    });

    enhanceEditor(area, language, run);
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
  });
})();
