// Package domain holds the types every layer of shopcard shares: workspaces,
// store connections, the customer and orders read from Shopify, secrets that
// must never be printed, and errors that carry a kind. It imports nothing of
// ours, so every other package can depend on it.
package domain
