// Package e2e holds shopcard's end-to-end tests: the commands run through
// cli.Run as an operator would type them, the server they start, the fake
// Shopify over real HTTP, and Chromium driving the pages (the
// *_browser_test.go files). It has no code of its own.
package e2e
