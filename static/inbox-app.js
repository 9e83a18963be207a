// shopcard helpdesk apps: what the Chatwoot, Front and Zendesk pages share.
// Each kind's script (chatwoot.js, front.js, zendesk.js) learns from its
// helpdesk which conversation is open and calls window.shopcardInbox.open
// with the helpdesk's own id for the contact, ticket or conversation; this
// posts it, with the page's grant, into the page's inner frame, where
// shopcard answers with the sidebar for the contact the helpdesk's API
// names, or with a page saying what is wrong. Nothing the helpdesk sends is
// put into the page as HTML.
(function () {
  "use strict";

  var form = document.getElementById("sidebar-request");
  var frame = document.querySelector("[data-testid=inbox-sidebar]");
  var status = document.querySelector("[data-testid=inbox-status]");
  var last = { ref: null, theme: null };

  function say(text) {
    status.textContent = text;
    status.classList.remove("hidden");
    frame.classList.add("hidden");
  }

  // open asks for a contact's sidebar, unless it is the one showing with
  // the same theme (helpdesks send their context again for many reasons)
  // and force is not set.
  function open(ref, theme, force) {
    ref = String(ref);
    theme = theme === "dark" || theme === "light" ? theme : "";
    if (!force && ref === last.ref && theme === last.theme) return;
    last = { ref: ref, theme: theme };
    form.elements.ref.value = ref;
    form.elements.theme.value = theme;
    status.classList.add("hidden");
    frame.classList.remove("hidden");
    form.submit();
  }

  window.shopcardInbox = {
    open: open,
    say: say,
    // origin is the helpdesk origin the server named for this page.
    origin: document.body.getAttribute("data-helpdesk-origin") || ""
  };
})();
