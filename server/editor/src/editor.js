// The code editor of Fabrique's exercises: CodeMirror 6 over the page's
// own <textarea>, which stays the editor's value (kept in step with it, so
// the page's script reads and saves it as before) and its fallback: when
// scripts are off or this bundle does not load, the textarea is the editor.
//
// `FabriqueEditor.create(textarea, { language, label, onRun })` puts the
// editor in place of the textarea and returns { setValue, markLine, focus }.
// Colours, bracket matching and closing, indentation on Enter, Tab indents
// (Escape then Tab leaves the editor), Ctrl+/ comments, Ctrl+F searches,
// Ctrl+Enter runs; `markLine(n)` highlights the line an error is on.
//
// Rebuilt by `npm ci && npm run build` in this folder (see build.mjs).

import { EditorView } from "codemirror";
import { EditorState, StateEffect, StateField } from "@codemirror/state";
import {
  Decoration,
  drawSelection,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { tags } from "@lezer/highlight";
import { python } from "@codemirror/lang-python";
import { javascript } from "@codemirror/lang-javascript";
import { html } from "@codemirror/lang-html";
import { css } from "@codemirror/lang-css";
import { sql } from "@codemirror/lang-sql";

const LANGUAGES = { python, javascript, html, css, sql };

// Colours that keep a contrast of at least 4.5:1 on the editor's white
// background and on its active line (WCAG 2.1 AA).
const colours = HighlightStyle.define([
  { tag: [tags.keyword, tags.controlKeyword, tags.operatorKeyword, tags.definitionKeyword, tags.moduleKeyword], color: "#8b1e8b" },
  { tag: [tags.string, tags.special(tags.string), tags.regexp], color: "#116329" },
  { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "#953800" },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: "#57606a", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.definition(tags.variableName))], color: "#0550ae" },
  { tag: [tags.className, tags.typeName, tags.definition(tags.className)], color: "#8a4600" },
  { tag: [tags.tagName, tags.angleBracket], color: "#116329" },
  { tag: [tags.attributeName, tags.propertyName], color: "#0550ae" },
  { tag: tags.invalid, color: "#a40e26", textDecoration: "underline wavy" },
]);

const theme = EditorView.theme({
  "&": { backgroundColor: "#ffffff", color: "#1f2328" },
  ".cm-scroller": { lineHeight: "1.5", minHeight: "12rem" },
  ".cm-content": { caretColor: "#1f2328" },
  ".cm-gutters": { backgroundColor: "#f6f8fa", color: "#57606a", borderRight: "1px solid #d0d7de" },
  ".cm-activeLine": { backgroundColor: "#f3f6fa" },
  ".cm-activeLineGutter": { backgroundColor: "#e7ecf2", color: "#1f2328" },
  "&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection": { backgroundColor: "#cfe3ff" },
  ".cm-matchingBracket": { backgroundColor: "#d6f5de", outline: "1px solid #116329" },
  ".cm-nonmatchingBracket": { backgroundColor: "#ffe3e6", outline: "1px solid #a40e26" },
  ".cm-error-line": { backgroundColor: "#ffebe9", boxShadow: "inset 4px 0 0 #a40e26" },
  ".cm-panels": { backgroundColor: "#f6f8fa", color: "#1f2328" },
  ".cm-searchMatch": { backgroundColor: "#fff2b3", outline: "1px solid #9a6700" },
});

// The words CodeMirror shows (its search panel, mostly), in French.
const FRENCH = {
  Find: "Chercher",
  Replace: "Remplacer",
  next: "suivant",
  previous: "précédent",
  all: "tous",
  "match case": "respecter la casse",
  "by word": "mot entier",
  regexp: "expression régulière",
  replace: "remplacer",
  "replace all": "tout remplacer",
  close: "fermer",
  "current match": "occurrence actuelle",
  "on line": "à la ligne",
  "replaced match on line $": "occurrence remplacée à la ligne $",
  "replaced $ matches": "$ occurrences remplacées",
  "Go to line": "Aller à la ligne",
  go: "aller",
  "Control character": "Caractère de contrôle",
  "Selection deleted": "Sélection supprimée",
};

// The line an error was reported on: set by `markLine`, gone with the
// next change of the code.
const markError = StateEffect.define();
const errorLine = StateField.define({
  create: () => Decoration.none,
  update(lines, transaction) {
    if (transaction.docChanged) lines = Decoration.none;
    for (const effect of transaction.effects) {
      if (!effect.is(markError)) continue;
      if (effect.value === null) lines = Decoration.none;
      else {
        const start = transaction.state.doc.line(effect.value).from;
        lines = Decoration.set([Decoration.line({ class: "cm-error-line" }).range(start)]);
      }
    }
    return lines;
  },
  provide: (field) => EditorView.decorations.from(field),
});

function runCommand(options) {
  return () => {
    if (options.onRun) options.onRun();
    return true;
  };
}

// CodeMirror writes its own rules in a <style> element, which the page's
// Content-Security-Policy allows with the nonce the page gives.
function styleNonce() {
  const meta = document.querySelector('meta[name="style-nonce"]');
  return meta ? meta.getAttribute("content") : "";
}

function create(textarea, options) {
  const language = LANGUAGES[options.language];
  const attributes = { "aria-multiline": "true" };
  // A read-only file (of an exercise of several) can be read, selected
  // and searched, not changed.
  if (textarea.readOnly) attributes["aria-readonly"] = "true";
  if (options.label) attributes["aria-labelledby"] = options.label;
  const described = textarea.getAttribute("aria-describedby");
  if (described) attributes["aria-describedby"] = described;

  const view = new EditorView({
    doc: textarea.value,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      indentUnit.of("    "),
      EditorState.tabSize.of(4),
      syntaxHighlighting(colours),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      errorLine,
      keymap.of([
        // Ctrl+Enter runs (Cmd+Enter too on a Mac).
        { key: "Mod-Enter", run: runCommand(options) },
        { key: "Ctrl-Enter", run: runCommand(options) },
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        indentWithTab,
      ]),
      language ? language() : [],
      EditorState.phrases.of(FRENCH),
      EditorView.cspNonce.of(styleNonce()),
      EditorView.contentAttributes.of(attributes),
      EditorState.readOnly.of(textarea.readOnly),
      theme,
      EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        textarea.value = update.state.doc.toString();
        textarea.dispatchEvent(new Event("input"));
      }),
    ],
  });
  textarea.parentNode.insertBefore(view.dom, textarea);
  textarea.hidden = true;
  // The textarea's label now names the editor: a click on it goes there.
  const label = options.label && document.getElementById(options.label);
  if (label) label.addEventListener("click", (event) => { event.preventDefault(); view.focus(); });

  const editor = {
    view,
    setValue(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    // Highlights line `line` (from 1) and shows it; null, or a line the
    // code does not have, takes the highlight away.
    markLine(line) {
      const known = Number.isInteger(line) && line >= 1 && line <= view.state.doc.lines;
      const effects = [markError.of(known ? line : null)];
      if (known) effects.push(EditorView.scrollIntoView(view.state.doc.line(line).from, { y: "center" }));
      view.dispatch({ effects });
    },
    focus() {
      view.focus();
    },
  };
  textarea.editor = editor;
  return editor;
}

window.FabriqueEditor = { create };
