// Scorecard console: live weight sums and validation in the draft editor, progress polling for imports.
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text).replace(",", "."));
    return isFinite(value) ? value : 0;
  }

  function format(value) {
    return String(Math.round(value * 100) / 100);
  }

  // Weight sums per dimension, recomputed from the weight fields as HR types (the server
  // recomputes them on save: these figures are only a preview).
  function recomputeWeights() {
    var table = document.getElementById("weight-sums");
    if (!table) return;
    var sums = {};
    var total = 0;
    document.querySelectorAll("[data-weight-field]").forEach(function (input) {
      var prefix = input.name.replace(/-weight$/, "");
      var dim = document.getElementById(prefix + "-dimension");
      var weight = number(input.value);
      total += weight;
      if (dim) sums[dim.value] = (sums[dim.value] || 0) + weight;
    });
    table.querySelectorAll("tr[data-dimension]").forEach(function (row) {
      var sum = sums[row.dataset.dimension] || 0;
      var low = row.dataset.low === "" ? null : number(row.dataset.low);
      var high = row.dataset.high === "" ? null : number(row.dataset.high);
      row.querySelector(".wsum").textContent = format(sum);
      var bad = (low !== null && sum < low - 1e-9) || (high !== null && sum > high + 1e-9);
      row.classList.toggle("table-danger", bad);
    });
    var totalCell = document.getElementById("weight-total");
    if (totalCell) {
      totalCell.textContent = format(total);
      document.getElementById("weight-total-row").classList.toggle("table-danger", Math.abs(total - 100) > 1e-9);
    }
  }

  function watchWeights() {
    var form = document.getElementById("draft-form");
    if (!form) return;
    form.addEventListener("input", function (event) {
      if (event.target.matches("[data-weight-field], [data-dimension-field]")) recomputeWeights();
    });
    form.addEventListener("change", recomputeWeights);
  }

  // Validation as HR types: the form is posted to the console's check endpoint, which runs
  // the same validator as saving does; this script only shows its answer.
  function liveCheck() {
    var form = document.getElementById("draft-form");
    var status = document.getElementById("draft-status");
    if (!form || !status || !status.dataset.checkUrl) return;
    var count = document.getElementById("problem-count");
    var timer = null;
    var sent = 0;

    function clearMessages() {
      form.querySelectorAll("[data-error-for], [data-warning-for]").forEach(function (node) { node.remove(); });
      form.querySelectorAll(".is-invalid").forEach(function (node) { node.classList.remove("is-invalid"); });
    }

    function showMessage(problem) {
      var target = document.getElementById(problem.anchor);
      if (!target) return;
      var note = document.createElement("div");
      note.className = "small " + (problem.level === "error" ? "field-error text-danger" : "field-warning text-warning");
      note.setAttribute(problem.level === "error" ? "data-error-for" : "data-warning-for", problem.field);
      note.textContent = (problem.level === "error" ? "⚠ " : "") + problem.message;
      if (target.matches("input, select, textarea")) {
        if (problem.level === "error") target.classList.add("is-invalid");
        var group = target.closest(".form-group") || target.parentNode;
        group.appendChild(note);
      } else if (target.tagName === "TR") {
        target.querySelector("td").appendChild(note);
      } else {
        var header = target.querySelector(".card-header, h5");
        if (header && header.parentNode === target) header.insertAdjacentElement("afterend", note);
        else target.insertBefore(note, target.firstChild);
      }
    }

    function showList(problems) {
      var list = document.getElementById("problem-list");
      list.textContent = "";
      problems.forEach(function (problem) {
        var item = document.createElement("li");
        item.className = problem.level === "error" ? "text-danger" : "text-warning";
        var link = document.createElement("a");
        link.href = "#" + problem.anchor;
        link.className = "problem-link";
        link.dataset.field = problem.field;
        link.textContent = problem.message;
        item.appendChild(link);
        list.appendChild(item);
      });
    }

    function showWeights(answer) {
      answer.sums.forEach(function (sum) {
        var row = document.querySelector('#weight-sums tr[data-dimension="' + sum.key + '"]');
        if (!row) return;
        row.querySelector(".wsum").textContent = format(sum.total);
        row.classList.toggle("table-danger", !sum.ok);
      });
      var total = document.getElementById("weight-total");
      if (total) {
        total.textContent = format(answer.total);
        document.getElementById("weight-total-row").classList.toggle("table-danger", Math.abs(answer.total - 100) > 1e-6);
      }
      answer.adjusted.forEach(function (adjustment) {
        var row = document.querySelector('tr[data-adjusted-total="' + adjustment.index + '"]');
        if (row) {
          row.querySelector(".atotal").textContent = format(adjustment.total);
          row.classList.toggle("table-danger", Math.abs(adjustment.total - 100) > 1e-6);
        }
        Object.keys(adjustment.weights).forEach(function (key) {
          var cell = document.querySelector('td[data-adjustment="' + adjustment.index + '"][data-indicator="' + key + '"]');
          var weight = adjustment.weights[key];
          if (cell) cell.textContent = weight === null ? "" : format(weight);
        });
      });
      var kept = document.getElementById("kept-list");
      if (kept) {
        kept.textContent = "";
        answer.kept.forEach(function (text) {
          var item = document.createElement("li");
          item.textContent = text;
          kept.appendChild(item);
        });
      }
    }

    function show(answer) {
      count.textContent = answer.status.summary;
      count.className = answer.error_count ? "text-danger" : "text-success";
      document.getElementById("warning-count").textContent = answer.status.warnings;
      clearMessages();
      answer.problems.forEach(showMessage);
      showList(answer.problems);
      showWeights(answer);
      status.dataset.checked = String(sent);
    }

    function check() {
      var mine = ++sent;
      var body = new FormData(form);
      body.delete("action");
      fetch(status.dataset.checkUrl, {
        method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" }
      })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
        .then(function (answer) { if (mine === sent) show(answer); })
        .catch(function () {
          if (mine !== sent) return;
          count.textContent = status.dataset.labelUnchecked;
          count.className = "text-muted";
        });
    }

    function typed(event) {
      if (event.target.matches("button")) return;
      count.textContent = status.dataset.labelChecking;  // never "ready" while unchecked
      count.className = "text-muted";
      delete status.dataset.checked;
      clearTimeout(timer);
      timer = setTimeout(check, 350);
    }
    form.addEventListener("input", typed);
    form.addEventListener("change", typed);
  }

  // A problem's link, or an indicator's "Details", opens the collapsed part holding the field.
  function openTargets() {
    document.addEventListener("click", function (event) {
      var link = event.target.closest(".problem-link, .open-details");
      if (!link) return;
      var id = link.classList.contains("open-details") ? link.dataset.details : link.getAttribute("href").slice(1);
      var target = document.getElementById(id);
      if (!target) return;
      event.preventDefault();
      if (target.tagName === "DETAILS" && link.classList.contains("open-details")) target.open = !target.open;
      for (var node = target; node; node = node.parentElement) {
        if (node.tagName === "DETAILS" && node !== target) node.open = true;
      }
      if (target.tagName === "DETAILS" && !link.classList.contains("open-details")) target.open = true;
      target.scrollIntoView({ block: "center" });
      if (target.matches("input, select, textarea")) target.focus();
      history.replaceState(null, "", "#" + id);
    });
  }

  // The new-draft form: versions of the chosen position only; a key field for a new one.
  function newDraftForm() {
    var role = document.getElementById("role");
    var source = document.getElementById("source");
    var form = document.getElementById("new-draft");
    if (!form || !role || !source) return;
    function follow() {
      var first = null;
      source.querySelectorAll("option[data-role]").forEach(function (option) {
        var mine = option.dataset.role === role.value;
        option.hidden = !mine;
        option.disabled = !mine;
        if (mine && !first) first = option;
      });
      var chosen = source.options[source.selectedIndex];
      if (!chosen || chosen.disabled) source.value = first ? first.value : "";
      form.querySelectorAll(".new-role").forEach(function (node) { node.classList.toggle("d-none", role.value !== ""); });
    }
    role.addEventListener("change", follow);
    follow();
  }

  // Import progress: poll the job's JSON status until it is finished.
  function pollImport() {
    var box = document.getElementById("import-job");
    if (!box) return;
    var bar = document.getElementById("import-progress");
    var state = document.getElementById("import-state");
    function show(status) {
      var percent = status.total ? Math.round((status.done / status.total) * 100) : 0;
      if (status.state === "storing" || status.state === "done") percent = 100;
      bar.style.width = percent + "%";
      bar.textContent = percent + "%";
      bar.setAttribute("aria-valuenow", String(percent));
      var label = box.dataset["label" + status.state.charAt(0).toUpperCase() + status.state.slice(1)] || status.state;
      state.textContent = label.replace("{n}", status.stored);
      if (status.state === "done") {
        bar.classList.add("bg-success");
        document.getElementById("import-results").classList.remove("d-none");
      }
      if (status.state === "failed") {
        bar.classList.add("bg-danger");
        var table = document.getElementById("import-errors");
        var body = table.querySelector("tbody");
        body.textContent = "";
        status.errors.forEach(function (error) {
          var row = document.createElement("tr");
          [error.row, error.column, error.message].forEach(function (text) {
            var cell = document.createElement("td");
            cell.textContent = text;
            row.appendChild(cell);
          });
          body.appendChild(row);
        });
        table.classList.remove("d-none");
      }
      return status.finished;
    }
    function tick() {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (status) { if (!show(status)) setTimeout(tick, 400); })
        .catch(function () { setTimeout(tick, 1500); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    watchWeights();
    liveCheck();
    openTargets();
    newDraftForm();
    pollImport();
  });
})();

// The employee's link: a copy button beside the read-only field (the field stays selectable
// for browsers without the clipboard API).
(function () {
  "use strict";
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var field = document.querySelector(button.dataset.copy);
      if (!field) return;
      field.select();
      var done = function () { button.textContent = button.dataset.copied || button.textContent; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () { document.execCommand("copy"); done(); });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  });
})();
