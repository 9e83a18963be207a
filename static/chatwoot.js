// shopcard's Chatwoot Dashboard App. Chatwoot posts the context as a JSON
// string {"event":"appContext","data":{conversation, contact, currentAgent,
// theme}} to "*" on load, when asked with 'chatwoot-dashboard-app:fetch-info',
// and again when the conversation or the theme changes. The message is
// unsigned: only the installation's Chatwoot origin, from the parent window,
// is listened to, and only the contact's id is sent on; shopcard asks
// Chatwoot's API who that is.
(function () {
  "use strict";

  var app = window.shopcardInbox;
  var origin = app.origin;

  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== window.parent) return;
    if (typeof e.data !== "string") return;
    var msg;
    try {
      msg = JSON.parse(e.data);
    } catch (err) {
      return;
    }
    if (!msg || msg.event !== "appContext" || !msg.data) return;
    var data = msg.data;
    var id = data.contact && data.contact.id;
    if (id == null) {
      var meta = data.conversation && data.conversation.meta;
      id = meta && meta.sender && meta.sender.id;
    }
    if (typeof id !== "number" && typeof id !== "string") {
      app.say("This conversation has no contact to look up.");
      return;
    }
    app.open(id, data.theme, false);
  });

  if (window.parent === window) {
    app.say("Open this page from Chatwoot: add it as a Dashboard App and open a conversation.");
    return;
  }
  // Ask for the context now rather than wait for Chatwoot's load event,
  // which may have fired before this script listened. Sent to Chatwoot's
  // origin only.
  window.parent.postMessage("chatwoot-dashboard-app:fetch-info", origin);
})();
