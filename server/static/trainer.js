// Fabrique: the trainers' pages. The cohort matrix follows the class live
// (server-sent events: new learners get a row, changed cells are updated,
// and a short summary is announced to screen readers); login cards print;
// deleting a learner asks for confirmation. Everything works without this
// script, by reloading.
"use strict";

(function () {
  function liveMatrix(table) {
    if (!window.EventSource) return;
    var cohort = table.dataset.cohort;
    var status = document.getElementById("live-status");
    var columns = Array.prototype.map.call(
      table.querySelectorAll("thead th[data-exercise]"),
      function (th) { return th.dataset.exercise; });
    var titles = {};
    table.querySelectorAll("thead th[data-exercise]").forEach(function (th) {
      titles[th.dataset.exercise] = th.textContent.trim();
    });

    function rowOf(learner) {
      return table.querySelector('tbody tr[data-learner="' + learner.id + '"]');
    }

    function addRow(learner) {
      var tr = document.createElement("tr");
      tr.dataset.learner = learner.id;
      var th = document.createElement("th");
      th.scope = "row";
      var link = document.createElement("a");
      link.href = "/formateur/groupes/" + cohort + "/apprenants/" + learner.id;
      link.textContent = learner.name;
      th.appendChild(link);
      tr.appendChild(th);
      var count = document.createElement("td");
      count.className = "count";
      count.textContent = "0";
      tr.appendChild(count);
      columns.forEach(function (exercise) {
        var td = document.createElement("td");
        td.dataset.exercise = exercise;
        fill(td, { state: "not_started", symbol: "·", short: "", label: "pas commencé" });
        tr.appendChild(td);
      });
      table.tBodies[0].appendChild(tr);
      return tr;
    }

    function fill(td, cell) {
      td.className = "cell " + cell.state;
      td.title = cell.label;
      td.textContent = "";
      var visible = document.createElement("span");
      visible.setAttribute("aria-hidden", "true");
      visible.textContent = cell.symbol + " " + cell.short;
      var spoken = document.createElement("span");
      spoken.className = "sr";
      spoken.textContent = cell.label;
      td.appendChild(visible);
      td.appendChild(spoken);
    }

    function recount(tr) {
      tr.querySelector("td.count").textContent =
        String(tr.querySelectorAll("td.cell.passed").length);
    }

    var source = new EventSource("/api/cohorts/" + cohort + "/events");
    source.addEventListener("progress", function (event) {
      var change = JSON.parse(event.data);
      var names = {};
      var news = [];
      change.learners.forEach(function (learner) {
        names[learner.id] = learner.name;
        if (!rowOf(learner)) {
          addRow(learner);
          news.push(learner.name + " a rejoint le groupe");
        }
      });
      change.cells.forEach(function (cell) {
        var tr = table.querySelector('tbody tr[data-learner="' + cell.learner + '"]');
        if (!tr) return;
        var td = tr.querySelector('td[data-exercise="' + cell.exercise + '"]');
        if (!td) return;
        if (td.title !== cell.label) {
          var name = tr.querySelector("th").textContent.trim();
          news.push(name + " : « " + (titles[cell.exercise] || cell.exercise) + " » " + cell.label);
        }
        fill(td, cell);
        recount(tr);
      });
      if (status && news.length) {
        status.textContent = news.slice(-3).join(". ") + ".";
      }
    });
    source.addEventListener("error", function () {
      if (status) status.textContent = "Connexion perdue : nouvelle tentative…";
    });
    source.addEventListener("open", function () {
      if (status && status.textContent.indexOf("Connexion perdue") === 0) status.textContent = "";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var table = document.getElementById("matrix");
    if (table) liveMatrix(table);
    document.querySelectorAll("button.print").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    document.querySelectorAll("form.confirm").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.dataset.confirm)) event.preventDefault();
      });
    });
  });
})();
