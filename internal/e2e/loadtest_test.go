package e2e

import (
	"regexp"
	"strings"
	"testing"
)

// TestLoadtestCommand runs every scenario, small, and checks what the
// command reports. Timing budgets are not asserted (this machine's load
// decides them); the deterministic ones are. The store answers in 100 ms,
// not 500: every ratio is to a floor measured at that latency.
func TestLoadtestCommand(t *testing.T) {
	t.Parallel()
	out, err := runCLI(t, testGetenv(nil), "", "loadtest",
		"--concurrency", "4", "--requests", "64", "--p99-requests", "96", "--cold-loads", "2", "--herd", "20", "--contacts", "300", "--signins", "40", "--tokens", "150",
		"--burst", "4", "--sustained-rate", "4", "--sustained-for", "2s", "--store-latency", "100ms", "--timeout", "2m")
	if err != nil && !strings.Contains(err.Error(), "budget(s) missed") {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"1. Cache-hit fragment (50 orders), 4 concurrent requests",
		"bare Echo, same gzip bytes", "bare Echo, same identity bytes",
		"2. Cold sidebar: 3 stores answering in 200/300/400 ms",
		"3. Thundering herd: 20 concurrent sidebar loads",
		"Shopify requests per store: loadtest-1.myshopify.com: 1, loadtest-2.myshopify.com: 1, loadtest-3.myshopify.com: 1",
		"4. Memory: 300 different contacts with 50 orders each",
		"5. Abuse: unauthenticated bursts (40 sign-ins at once; 150 oversized tokens",
		"met     thundering herd", "met     fragments are gzip-compressed when accepted", "met     memory",
		"refused with 429 before hashing", "met     oversized-token flood",
		"6. Burst: 4 distinct cold contacts' sections at once", "7. Guest: 2 contacts with guest orders",
		"8. Emails: 1 contacts with 5 emails each", "9. Sustained: 4 new contacts a second for 2s on a Plus bucket",
		"met     burst of 4 on Standard: one Shopify request per section, none THROTTLED",
		"met     burst of 4 on Plus: one Shopify request per section, none THROTTLED",
		"met     guest contact: one Shopify request per section", "met     5-email contact: one Shopify request per section",
		"met     sustained 4 contacts/s for 2s: none THROTTLED, none failed",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %q:\n%s", want, out)
		}
	}
	// Only timing budgets may be missed here.
	for _, m := range regexp.MustCompile(`MISSED  (.*)`).FindAllStringSubmatch(out, -1) {
		if !strings.Contains(m[1], "p99") && !strings.Contains(m[1], "throughput") && !strings.Contains(m[1], "cold 3-store") && !strings.Contains(m[1], "the floor") {
			t.Errorf("missed: %s", m[1])
		}
	}
}

func TestLoadtestRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{{"--scenarios", "hit,warp"}, {"--concurrency", "0"}, {"--p99-requests", "1"}} {
		if _, err := runCLI(t, testGetenv(nil), "", append([]string{"loadtest"}, args...)...); err == nil {
			t.Errorf("loadtest %v: no error", args)
		}
	}
	out, err := runCLI(t, testGetenv(nil), "", "loadtest", "--help")
	if err != nil || !strings.Contains(out, "Usage: shopcard loadtest") {
		t.Errorf("--help: %v %s", err, out)
	}
}
