// Fabrique: the preview of a learner's web page, on a lesson page (as the
// learner types) and on the trainer's view of a submission.
//
// The page is shown in an iframe whose `sandbox` allows nothing: no
// script runs in it (`allow-scripts` is absent), and it has an origin of
// its own (`allow-same-origin` is absent), so it cannot reach this page,
// Fabrique's cookies or its API. Its document comes from `srcdoc`, which
// keeps the content security policy of this page: the page's style
// sheets are put inline, in `<style>` elements carrying this page's style
// nonce, and scripts are removed.
(function () {
  'use strict';

  var WIDTHS = [
    { px: 375, words: 'Téléphone (375 px)' },
    { px: 768, words: 'Tablette (768 px)' },
    { px: 1280, words: 'Ordinateur (1280 px)' }
  ];

  function nonce() {
    var meta = document.querySelector('meta[name="style-nonce"]');
    return meta ? meta.getAttribute('content') : '';
  }

  // The document to show for `files` ({ name: text }), whose HTML file is
  // `entry`.
  function previewDocument(files, entry) {
    var parsed = new DOMParser().parseFromString(files[entry] || '', 'text/html');
    var key = nonce();
    Array.prototype.forEach.call(parsed.querySelectorAll('script'), function (script) {
      script.parentNode.removeChild(script);
    });
    Array.prototype.forEach.call(parsed.querySelectorAll('link'), function (link) {
      var rel = (link.getAttribute('rel') || '').toLowerCase().split(/\s+/);
      if (rel.indexOf('stylesheet') < 0) return;
      var name = (link.getAttribute('href') || '').trim().replace(/^\.\//, '');
      if (!Object.prototype.hasOwnProperty.call(files, name) || !/\.css$/.test(name)) return;
      var style = parsed.createElement('style');
      style.textContent = files[name];
      link.parentNode.replaceChild(style, link);
    });
    Array.prototype.forEach.call(parsed.querySelectorAll('style'), function (style) {
      style.setAttribute('nonce', key);
    });
    return '<!DOCTYPE html>\n' + parsed.documentElement.outerHTML;
  }

  // Puts a preview in `container`: width buttons over an iframe. Returns
  // { show(files) } to show the page again.
  function attach(container, entry, label) {
    var frame = document.createElement('iframe');
    frame.setAttribute('sandbox', '');
    frame.setAttribute('title', label);
    frame.setAttribute('referrerpolicy', 'no-referrer');
    frame.className = 'preview-frame';
    var widths = document.createElement('div');
    widths.className = 'preview-widths';
    widths.setAttribute('role', 'group');
    widths.setAttribute('aria-label', 'Largeur de l\u2019aperçu');
    var buttons = WIDTHS.map(function (width) {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = width.words;
      button.addEventListener('click', function () { choose(width.px); });
      widths.appendChild(button);
      return button;
    });
    function choose(px) {
      frame.style.width = px + 'px';
      buttons.forEach(function (button, i) {
        button.setAttribute('aria-pressed', WIDTHS[i].px === px ? 'true' : 'false');
      });
    }
    // The page may be wider than the lesson: its frame scrolls, with the
    // keyboard too.
    var viewport = document.createElement('div');
    viewport.className = 'preview-viewport';
    viewport.tabIndex = 0;
    viewport.setAttribute('role', 'region');
    viewport.setAttribute('aria-label', label);
    viewport.appendChild(frame);
    container.appendChild(widths);
    container.appendChild(viewport);
    choose(375);
    return {
      show: function (files) { frame.srcdoc = previewDocument(files, entry); }
    };
  }

  window.FabriquePreview = { attach: attach, document: previewDocument };

  // The trainer's view: each submission of a web page shows its page.
  document.addEventListener('DOMContentLoaded', function () {
    var submissions = document.querySelectorAll('[data-preview-entry]');
    Array.prototype.forEach.call(submissions, function (submission) {
      var files = {};
      Array.prototype.forEach.call(submission.querySelectorAll('pre[data-file]'), function (pre) {
        files[pre.getAttribute('data-file')] = pre.textContent;
      });
      var container = submission.querySelector('.preview');
      attach(container, submission.getAttribute('data-preview-entry'), container.getAttribute('data-label'))
        .show(files);
    });
  });
})();
