// shopcard sidebar behaviour that htmx does not cover. Served from our own
// origin (the CSP allows no inline script).
(function () {
  "use strict";

  // A fragment that never got an answer (network down, request timed out)
  // would otherwise keep its skeleton forever. Swap in a calm note with a
  // retry control instead. Text goes in with textContent: nothing from the
  // network is parsed as HTML here.
  function showUnreachable(elt) {
    var body = elt.closest ? elt.closest("[data-testid=section-body]") : null;
    if (!body) return;
    var url = body.getAttribute("hx-get") || elt.getAttribute("hx-get");
    var note = document.createElement("div");
    note.setAttribute("data-testid", "section-body");
    note.setAttribute("data-state", "error");
    note.setAttribute("role", "status");
    note.id = body.id;
    note.className = "flex items-start justify-between gap-2 px-3 py-3";
    var p = document.createElement("p");
    p.setAttribute("data-testid", "section-notice");
    p.className = "text-xs text-slate-700 dark:text-slate-200";
    p.textContent = "shopcard could not be reached. Check your connection.";
    note.appendChild(p);
    if (url) {
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-testid", "section-retry");
      button.className = "shrink-0 rounded border border-slate-300 px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800";
      button.textContent = "Try again";
      button.addEventListener("click", function () {
        window.htmx.ajax("GET", url, { target: note, swap: "outerHTML" });
      });
      note.appendChild(button);
    }
    body.replaceWith(note);
  }

  // A section that replaced a typical skeleton keeps its height, invisibly,
  // so that while the sidebar loads nothing below it moves. The rep's
  // first interaction releases that space: a shift they cause is theirs,
  // and sections arriving after it reserve nothing.
  var released = false;
  function release() {
    released = true;
    var reserved = document.querySelectorAll("[data-reserve]");
    for (var i = 0; i < reserved.length; i++) reserved[i].remove();
  }
  document.addEventListener("pointerdown", release, { capture: true, once: true });
  document.addEventListener("keydown", release, { capture: true, once: true });
  document.addEventListener("htmx:afterSwap", function () { if (released) release(); });

  // The "Find an order" box gets the same note when its request never got
  // an answer, in its own answer area.
  function searchUnreachable(elt) {
    if (!elt || elt.getAttribute("data-testid") !== "order-search") return false;
    var results = document.getElementById("order-search-results");
    if (!results) return true;
    var p = document.createElement("p");
    p.setAttribute("data-testid", "order-search-notice");
    p.setAttribute("role", "status");
    p.className = "px-3 py-2 text-xs text-slate-700 dark:text-slate-200";
    p.textContent = "shopcard could not be reached. Check your connection and search again.";
    results.replaceChildren(p);
    return true;
  }

  function unreachable(e) {
    if (!searchUnreachable(e.detail.elt)) showUnreachable(e.detail.elt);
  }

  document.addEventListener("htmx:sendError", unreachable);
  document.addEventListener("htmx:timeout", unreachable);

  // Escape in the box, or the answer's Clear button, empties the answer
  // and puts the focus back in the box for the next number.
  function clearOrderSearch() {
    var results = document.getElementById("order-search-results");
    var input = document.getElementById("order-search-q");
    if (results) results.replaceChildren();
    if (input) {
      input.value = "";
      input.focus();
    }
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-order-search-clear]")) clearOrderSearch();
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && e.target && e.target.id === "order-search-q") clearOrderSearch();
  });

  // htmx's request timeout (30 s, well past the server's own Shopify
  // deadline) is set in the page's htmx-config meta tag, which htmx reads
  // before it sends the sections' first requests.
})();
