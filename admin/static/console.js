// Scorecard console: live weight sums in the draft editor, progress polling for imports.
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
