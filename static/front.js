// shopcard's Front plugin. As Front's plugin SDK does, the page posts
// '@frontapp/ui-sdk#WebViewBridge.handshake' to its parent with a
// MessagePort, and Front sends {type:"context_update", context} over it each
// time the teammate's context changes. Only a single conversation's id is
// sent on; shopcard asks Front's API for the conversation's recipient.
// Only Front's origins may frame this page (its CSP), so the parent is
// Front.
(function () {
  "use strict";

  var app = window.shopcardInbox;

  if (window.parent === window) {
    app.say("Open this page from Front: add it as a plugin and open a conversation.");
    return;
  }
  var channel = new MessageChannel();
  channel.port1.onmessage = function (e) {
    var msg = e.data;
    if (!msg || msg.type !== "context_update" || !msg.context) return;
    var context = msg.context;
    if (context.type === "singleConversation" && context.conversation && typeof context.conversation.id === "string") {
      app.open(context.conversation.id, "", false);
    } else if (context.type === "multiConversations") {
      app.say("Select a single conversation to see its contact in Shopify.");
    } else {
      app.say("Open a conversation to see its contact in Shopify.");
    }
  };
  channel.port1.start();
  window.parent.postMessage("@frontapp/ui-sdk#WebViewBridge.handshake", "*", [channel.port2]);
})();
