package handlers

import (
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// The header values every response carries, built once. setHeader assigns
// them to a response's header map under their canonical keys, sharing the
// slice between responses: net/http copies the map when it writes the
// headers, and Header.Set and Header.Add never write into an existing
// slice (each value is a one-element slice, so appending copies it).
// Setting them one by one cost a canonicalized key and a new slice each:
// 8% of BenchmarkFragmentCacheHitGzip's CPU, for ten headers.
var (
	noSniff             = headerValue("nosniff")
	noReferrer          = headerValue("no-referrer")
	sameOrigin          = headerValue("same-origin")
	noStore             = headerValue("no-store")
	varyAcceptEncoding  = headerValue(echo.HeaderAcceptEncoding)
	textHTML            = headerValue(echo.MIMETextHTMLCharsetUTF8)
	gzipEncoding        = headerValue("gzip")
	unframeablePolicy   = headerValue(contentSecurityPolicy("'none'", "'none'"))
	headerCSP           = http.CanonicalHeaderKey("Content-Security-Policy")
	headerCOOP          = http.CanonicalHeaderKey("Cross-Origin-Opener-Policy")
	headerNoSniff       = http.CanonicalHeaderKey("X-Content-Type-Options")
	headerReferrer      = http.CanonicalHeaderKey("Referrer-Policy")
	headerCacheControl  = http.CanonicalHeaderKey(echo.HeaderCacheControl)
	headerContentType   = http.CanonicalHeaderKey(echo.HeaderContentType)
	headerContentEncode = http.CanonicalHeaderKey(echo.HeaderContentEncoding)
	headerVary          = http.CanonicalHeaderKey(echo.HeaderVary)
)

// headerValue is a shared header value: one element, no spare capacity.
func headerValue(v string) []string { return []string{v} }

// setHeader sets a canonical key to a shared value (see above).
func setHeader(h http.Header, key string, value []string) { h[key] = value }

// addVary adds to the Vary header without sharing a list another
// middleware already started.
func addVary(h http.Header) {
	if _, ok := h[headerVary]; ok {
		h.Add(headerVary, echo.HeaderAcceptEncoding)
		return
	}
	setHeader(h, headerVary, varyAcceptEncoding)
}

// contentSecurityPolicy allows only our own scripts and styles; inline
// script and style are refused. frameAncestors says who may embed the page.
func contentSecurityPolicy(frameAncestors string, frameSrc string) string {
	return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
		"base-uri 'none'; form-action 'self'; frame-src " + frameSrc + "; frame-ancestors " + frameAncestors
}

// withSelf adds 'self' to a frame-ancestors list, dropping 'none'.
func withSelf(ancestors []string) []string {
	out := []string{}
	for _, a := range ancestors {
		if a != "'none'" && a != "'self'" {
			out = append(out, a)
		}
	}
	return append(out, "'self'")
}

// framePolicies builds, once per distinct list of frame ancestors, the
// header value that lets those origins (and shopcard itself) frame a page.
// A workspace's list changes rarely and every sidebar request needs its
// policy, so building the whole string each time was waste. A list is
// found by the part of the policy it decides, so two lists share a value
// only when their policies are the same; the table is emptied when it
// holds maxFramePolicies, which bounds it whatever admins configure.
type framePolicies struct {
	mu     sync.RWMutex
	byList map[string][]string // the frame-ancestors sources → the header value
}

const maxFramePolicies = 1024

func newFramePolicies() *framePolicies {
	return &framePolicies{byList: map[string][]string{}}
}

// of returns the Content-Security-Policy value for pages ancestors may frame.
func (p *framePolicies) of(ancestors []string) []string {
	sources := strings.Join(withSelf(ancestors), " ")
	p.mu.RLock()
	header, ok := p.byList[sources]
	p.mu.RUnlock()
	if ok {
		return header
	}
	header = headerValue(contentSecurityPolicy(sources, "'none'"))
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.byList) >= maxFramePolicies {
		clear(p.byList)
	}
	p.byList[sources] = header
	return header
}

// frameHeaders makes a page frameable by the origins whose policy it is,
// and keeps it out of every cache: framed pages carry a token or an
// installation in their URL.
func frameHeaders(h http.Header, policy []string) {
	setHeader(h, headerCSP, policy)
	delete(h, headerCOOP)
	setHeader(h, headerCacheControl, noStore)
}
