/* Batch filing: sends the upload form with a progress bar and shows the per-row results in place. Without this
   script the form posts as usual and the answer is the same page with the same results. */
(function () {
  "use strict";
  var form = document.getElementById("batch-form");
  if (!form || !window.XMLHttpRequest || !window.FormData || !window.DOMParser) { return; }
  var progress = document.getElementById("batch-progress");
  var bar = progress.querySelector(".progress-bar");
  var status = document.getElementById("batch-status");
  var button = form.querySelector('button[type="submit"]');

  function show(percent) {
    progress.hidden = false;
    progress.setAttribute("aria-valuenow", String(percent));
    bar.style.width = percent + "%";
  }

  // The answer is the page itself: its results section (or its refusal) replaces the current one.
  function replaceWith(html) {
    var page = new DOMParser().parseFromString(html, "text/html");
    ["batch-results", "batch-form"].forEach(function (id) {
      var fresh = page.getElementById(id);
      var current = document.getElementById(id);
      if (id === "batch-form" && fresh) {
        var feedback = fresh.querySelectorAll(".invalid-feedback");
        current.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
        var input = current.querySelector('input[type="file"]');
        input.classList.toggle("is-invalid", feedback.length > 0);
        feedback.forEach(function (el) { input.insertAdjacentElement("afterend", el); });
      } else if (fresh && current) {
        current.replaceWith(fresh);
      }
    });
  }

  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) { return; }
    event.preventDefault();
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "text/html");
    request.upload.onprogress = function (e) {
      if (!e.lengthComputable) { return; }
      var percent = Math.round((e.loaded / e.total) * 100);
      show(percent);
      status.textContent = (form.getAttribute("data-sending-label") || "").replace("{percent}", String(percent));
    };
    request.upload.onload = function () {
      show(100);
      status.textContent = form.getAttribute("data-checking-label") || "";
    };
    request.onload = function () {
      button.disabled = false;
      progress.hidden = true;
      status.textContent = "";
      if ((request.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
        replaceWith(request.responseText);
      } else {
        status.textContent = form.getAttribute("data-failed-label") || "";
      }
    };
    request.onerror = function () {
      button.disabled = false;
      status.textContent = form.getAttribute("data-failed-label") || "";
    };
    button.disabled = true;
    show(0);
    request.send(new FormData(form));
  });
})();
