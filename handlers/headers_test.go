package handlers

import (
	"net/http"
	"strings"
	"testing"
)

// TestSharedHeaderValues checks that a response changing a shared header
// value changes only its own: a shared value has no spare capacity, so an
// Add copies it instead of writing where another response's list goes on.
func TestSharedHeaderValues(t *testing.T) {
	for _, v := range [][]string{noSniff, noReferrer, sameOrigin, noStore, varyAcceptEncoding, textHTML, gzipEncoding, unframeablePolicy} {
		if len(v) != 1 || cap(v) != 1 {
			t.Errorf("shared value %q has length %d, capacity %d; want 1 and 1", v, len(v), cap(v))
		}
	}
	first, second := http.Header{}, http.Header{}
	setHeader(first, headerVary, varyAcceptEncoding)
	first.Add(headerVary, "Cookie")
	addVary(second)
	second.Add(headerVary, "Origin")
	if got := strings.Join(first.Values(headerVary), ", "); got != "Accept-Encoding, Cookie" {
		t.Errorf("first response's Vary: %q", got)
	}
	if got := strings.Join(second.Values(headerVary), ", "); got != "Accept-Encoding, Origin" {
		t.Errorf("second response's Vary: %q", got)
	}
	third := http.Header{"Vary": {"Origin"}}
	addVary(third)
	if got := strings.Join(third.Values(headerVary), ", "); got != "Origin, Accept-Encoding" {
		t.Errorf("a Vary already set: %q", got)
	}
}

func TestFramePolicies(t *testing.T) {
	p := newFramePolicies()
	tests := []struct {
		name      string
		ancestors []string
		want      string
	}{
		{"no origin", nil, "frame-ancestors 'self'"},
		{"none", []string{"'none'"}, "frame-ancestors 'self'"},
		{"one origin", []string{"https://a.example"}, "frame-ancestors https://a.example 'self'"},
		{"two origins", []string{"https://a.example", "https://b.example"}, "frame-ancestors https://a.example https://b.example 'self'"},
		{"the same two, joined", []string{"https://a.example https://b.example"}, "frame-ancestors https://a.example https://b.example 'self'"},
		{"the same two, the other way", []string{"https://b.example", "https://a.example"}, "frame-ancestors https://b.example https://a.example 'self'"},
	}
	for round := range 2 { // the second round is answered from the table
		for _, tt := range tests {
			got := p.of(tt.ancestors)
			if len(got) != 1 || !strings.HasSuffix(got[0], "; "+tt.want) || !strings.HasPrefix(got[0], "default-src 'none'; ") {
				t.Errorf("round %d, %s: %q, want it to end in %q", round, tt.name, got, tt.want)
			}
		}
	}
	// A list changed after its policy was built does not change the policy.
	list := []string{"https://a.example"}
	before := p.of(list)[0]
	list[0] = "https://evil.example"
	if after := p.of(list)[0]; after == before || !strings.Contains(after, "https://evil.example 'self'") {
		t.Errorf("after the list changed: %q", after)
	}
	// The table is bounded.
	for i := range 3 * maxFramePolicies {
		p.of([]string{"https://" + strings.Repeat("x", i%50) + string(rune('a'+i%26)) + ".example", string(rune(i))})
	}
	if n := len(p.byList); n > maxFramePolicies {
		t.Errorf("the table holds %d policies, more than %d", n, maxFramePolicies)
	}
}
