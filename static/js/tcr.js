/* Behaviour every page shares, kept out of the markup: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  // <button data-tcr-print>: print the page.
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-tcr-print]")) { window.print(); }
  });

  // <form data-confirm="one line saying the consequence">: an act with legal effect or that cannot be undone asks
  // first, in a modal dialog; only 确认 sends the form. Without this script the form simply submits. The button
  // labels come from data-confirm-ok / data-confirm-cancel (rendered translated) or from the page's language.
  var ENGLISH = /^en/i.test(document.documentElement.lang || "");
  var DEFAULT_OK = ENGLISH ? "Confirm" : "确认";
  var DEFAULT_CANCEL = ENGLISH ? "Cancel" : "取消";
  var DEFAULT_TITLE = ENGLISH ? "Please confirm" : "请确认";

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function confirmDialog(form) {
    var dialog = element("dialog", "tcr-confirm");
    dialog.setAttribute("aria-labelledby", "tcr-confirm-title");
    dialog.setAttribute("aria-describedby", "tcr-confirm-text");
    var title = element("h2", "h6 mb-2", form.getAttribute("data-confirm-title") || DEFAULT_TITLE);
    title.id = "tcr-confirm-title";
    var text = element("p", "mb-3 tcr-confirm-text", form.getAttribute("data-confirm"));
    text.id = "tcr-confirm-text";
    var buttons = element("div", "d-flex justify-content-end gap-2");
    var cancel = element("button", "btn btn-outline-secondary", form.getAttribute("data-confirm-cancel") || DEFAULT_CANCEL);
    cancel.type = "button";
    cancel.value = "cancel";
    cancel.setAttribute("data-confirm-answer", "cancel");
    var ok = element("button", "btn btn-primary", form.getAttribute("data-confirm-ok") || DEFAULT_OK);
    ok.type = "button";
    ok.value = "ok";
    ok.setAttribute("data-confirm-answer", "ok");
    buttons.appendChild(cancel);
    buttons.appendChild(ok);
    dialog.appendChild(title);
    dialog.appendChild(text);
    dialog.appendChild(buttons);
    return dialog;
  }

  function send(form, submitter) {
    form.setAttribute("data-confirmed", "1");
    if (form.requestSubmit) {
      form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
    } else {
      form.submit();
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-confirm]")) { return; }
    if (form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");  // the next submission (after a refusal, say) asks again
      return;
    }
    if (typeof HTMLDialogElement !== "function") {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
      return;
    }
    event.preventDefault();
    var submitter = event.submitter;
    var dialog = confirmDialog(form);
    document.body.appendChild(dialog);
    dialog.addEventListener("click", function (click) {
      var answer = click.target.getAttribute && click.target.getAttribute("data-confirm-answer");
      if (answer) { dialog.close(answer); }
    });
    dialog.addEventListener("close", function () {
      var confirmed = dialog.returnValue === "ok";
      dialog.remove();
      if (confirmed) {
        send(form, submitter);
      } else if (submitter && submitter.focus) {
        submitter.focus();
      }
    });
    dialog.showModal();
    dialog.querySelector("[data-confirm-answer='cancel']").focus();  // Enter twice must not issue a certificate
  });
}());
