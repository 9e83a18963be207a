// shopcard's Zendesk ticket sidebar app. It speaks the part of the Zendesk
// Apps framework's protocol it needs, as the ZAF SDK does: Zendesk gives the
// frame its origin and app_guid in the URL; the app posts JSON strings to
// that origin ({key:"iframe.handshake"}, then {id, request:"get",
// params:["ticket.id"]}) and listens only to messages from it and from its
// parent: {key:"zaf.app.registered"}, replies carrying the request's id, and
// {key:"zaf.ticket.requester.id.changed"} once subscribed. Only the
// ticket's id is sent on; shopcard asks Zendesk's API for its requester.
(function () {
  "use strict";

  var app = window.shopcardInbox;
  var origin = app.origin;
  var params = new URLSearchParams(window.location.search);
  var appGuid = params.get("app_guid");
  var nextID = 1;
  var pending = {};

  if (window.parent === window || !appGuid) {
    app.say("Open this page from Zendesk: upload shopcard's app package and open a ticket.");
    return;
  }
  if (params.get("origin") !== origin) {
    app.say("This app was opened by another Zendesk account than its installation's. Ask an admin to check the installation's Zendesk URL.");
    return;
  }

  function post(msg) {
    msg.appGuid = appGuid;
    msg.instanceGuid = appGuid;
    window.parent.postMessage(JSON.stringify(msg), origin);
  }

  function get(path, done) {
    var id = nextID++;
    pending[id] = done;
    post({ id: id, request: "get", params: [path] });
  }

  function showTicket(force) {
    get("ticket.id", function (data) {
      var ticketID = data.result && data.result["ticket.id"];
      if (typeof ticketID !== "number" && typeof ticketID !== "string") {
        app.say("Open a ticket to see its requester in Shopify.");
        return;
      }
      app.open(ticketID, "", force);
    });
  }

  window.addEventListener("message", function (e) {
    if (e.origin !== origin || e.source !== window.parent) return;
    var data = e.data;
    if (typeof data === "string") {
      try {
        data = JSON.parse(data);
      } catch (err) {
        return;
      }
    }
    if (!data) return;
    if (data.id && pending[data.id]) {
      var done = pending[data.id];
      delete pending[data.id];
      done(data);
      return;
    }
    if (data.key === "zaf.app.registered") {
      post({ key: "iframe.on:ticket.requester.id.changed", message: { subscriberCount: 1 } });
      showTicket(false);
    } else if (data.key === "zaf.ticket.requester.id.changed") {
      // Same ticket, another requester: ask shopcard again.
      showTicket(true);
    }
  });

  post({ key: "iframe.handshake", message: { version: "2.0" } });
})();
