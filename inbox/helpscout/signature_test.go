package helpscout

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"

	"shopcard/inbox"
)

func TestVerifyQuery(t *testing.T) {
	const secret = "my-secret-key"
	params := []Param{{"conversation-id", "1"}, {"customer-id", "501"}, {"application-slug", "a/b-Ünï"}}
	raw := func(ps []Param, sig string) string {
		var q []string
		for _, p := range ps {
			q = append(q, url.QueryEscape(p.Key)+"="+url.QueryEscape(p.Value))
		}
		return "install=abc&" + strings.Join(q, "&") + "&" + SignatureParam + "=" + url.QueryEscape(sig)
	}
	// What JSON.stringify would have signed: "/" and "Ü" unescaped.
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(`{"conversation-id":"1","customer-id":"501","application-slug":"a/b-Ünï"}`))
	jsSig := base64.StdEncoding.EncodeToString(m.Sum(nil))
	// And PHP's json_encode: escaped.
	m = hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(`{"conversation-id":"1","customer-id":"501","application-slug":"a\/b-\u00dcn\u00ef"}`))
	phpSig := base64.StdEncoding.EncodeToString(m.Sum(nil))
	if Sign(secret, params) != phpSig {
		t.Fatalf("Sign does not encode as json_encode")
	}
	reordered := []Param{params[1], params[0], params[2]}
	tests := []struct {
		name string
		raw  string
		ok   bool
	}{
		{"php encoding", raw(params, phpSig), true},
		{"js encoding", raw(params, jsSig), true},
		{"reordered parameters", raw(reordered, phpSig), false},
		{"changed value", strings.Replace(raw(params, phpSig), "customer-id=501", "customer-id=502", 1), false},
		{"wrong secret", raw(params, Sign("other", params)), false},
		{"repeated key", raw(params, phpSig) + "&customer-id=502", false},
		{"no signature", "customer-id=501", false},
		{"not base64", raw(params, "!!!"), false},
	}
	for _, tt := range tests {
		got, err := VerifyQuery(secret, tt.raw, "install")
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
		if tt.ok && got["customer-id"] != "501" {
			t.Errorf("%s: params %v", tt.name, got)
		}
		if !tt.ok && err != nil && !inbox.IsReason(err, inbox.ErrBadProof) {
			t.Errorf("%s: reason %v", tt.name, err)
		}
	}
}
