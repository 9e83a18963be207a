package shopify

import "time"

// CallTimeout bounds a call to Shopify made outside a sidebar section's
// deadline: connecting or testing a store, subscribing its webhooks,
// exchanging or renewing its tokens. Long enough for a slow shop, short
// enough that an admin is not left waiting on a page that never answers.
const CallTimeout = 15 * time.Second
