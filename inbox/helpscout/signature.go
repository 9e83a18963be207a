// Package helpscout is the adapter for Help Scout apps.
//
// Help Scout loads the app's URL in the sidebar with the context as query
// parameters (conversation-id, customer-id, mailbox-id, user-id and the
// app's ids; only non-identifiable data, so no email) and an
// X-HelpScout-Signature parameter: the base64 HMAC-SHA1, under the app's
// secret key, of the JSON encoding of the other parameters in the order
// they came, leaving out the signature and any parameter that was part of
// the app's own URL (developer.helpscout.com, "Signature Validation").
// The customer's emails then come from Help Scout's Inbox API
// (GET /v2/customers/{id}), asked with an OAuth app's client credentials.
package helpscout

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"shopcard/inbox"
)

// SignatureParam carries the signature in the query.
const SignatureParam = "X-HelpScout-Signature"

// maxQuery bounds the query read before the signature is checked.
const maxQuery = 4096

// Param is one query parameter, in the order it came.
type Param struct{ Key, Value string }

// ParseQuery splits a raw query into its parameters in order, refusing
// repeated keys (the signed JSON object cannot hold them) and anything
// too long to be Help Scout's.
func ParseQuery(raw string) ([]Param, error) {
	refuse := inbox.Reject(inbox.ErrBadProof, "This sidebar's address isn't one Help Scout signed. Reopen the conversation; if it keeps happening, ask an admin to check the app's callback URL in Help Scout.")
	if len(raw) > maxQuery {
		return nil, refuse
	}
	var out []Param
	seen := map[string]bool{}
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		key, err1 := url.QueryUnescape(k)
		val, err2 := url.QueryUnescape(v)
		if err1 != nil || err2 != nil || !utf8.ValidString(key) || !utf8.ValidString(val) || seen[key] {
			return nil, refuse
		}
		seen[key] = true
		out = append(out, Param{key, val})
	}
	return out, nil
}

// VerifyQuery checks a signed query with the app's secret key. own are
// the parameters of the app's URL in Help Scout (shopcard's install), left
// out of the signature. It returns the signed parameters.
func VerifyQuery(secret, raw string, own ...string) (map[string]string, error) {
	params, err := ParseQuery(raw)
	if err != nil {
		return nil, err
	}
	var signature string
	var signed []Param
	for _, p := range params {
		switch {
		case p.Key == SignatureParam:
			signature = p.Value
		case contains(own, p.Key):
		default:
			signed = append(signed, p)
		}
	}
	if signature == "" {
		return nil, inbox.Reject(inbox.ErrBadProof, "Help Scout didn't sign this sidebar's address. Ask an admin to give the app a secret key in Help Scout and the same one to shopcard.")
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha1.Size {
		return nil, inbox.Reject(inbox.ErrBadProof, "Help Scout's signature on this sidebar's address can't be read. Reopen the conversation.")
	}
	// Help Scout's guide encodes with PHP's json_encode, which escapes "/"
	// and every non-ASCII character; a JavaScript signer would use
	// JSON.stringify, which escapes neither. Both are exact encodings of
	// the same parameters, so either may match.
	ok := false
	for _, style := range []jsonStyle{phpStyle, jsStyle} {
		m := hmac.New(sha1.New, []byte(secret))
		m.Write([]byte(encodeObject(signed, style)))
		if hmac.Equal(m.Sum(nil), got) {
			ok = true
		}
	}
	if !ok {
		return nil, inbox.Reject(inbox.ErrBadProof, "This sidebar's address wasn't signed with the app's secret key, or was changed after Help Scout signed it. Ask an admin to check that the secret key in Help Scout and in shopcard are the same.")
	}
	out := make(map[string]string, len(signed))
	for _, p := range signed {
		out[p.Key] = p.Value
	}
	return out, nil
}

// Sign computes the signature Help Scout puts on params, in PHP's
// encoding: for the fake Help Scout and tests.
func Sign(secret string, params []Param) string {
	m := hmac.New(sha1.New, []byte(secret))
	m.Write([]byte(encodeObject(params, phpStyle)))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

type jsonStyle int

const (
	phpStyle jsonStyle = iota // json_encode's defaults
	jsStyle                   // JSON.stringify
)

// encodeObject writes params as one JSON object of strings, in order.
func encodeObject(params []Param, style jsonStyle) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, p := range params {
		if i > 0 {
			b.WriteByte(',')
		}
		encodeString(&b, p.Key, style)
		b.WriteByte(':')
		encodeString(&b, p.Value, style)
	}
	b.WriteByte('}')
	return b.String()
}

func encodeString(b *strings.Builder, s string, style jsonStyle) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '/':
			if style == phpStyle {
				b.WriteString(`\/`)
			} else {
				b.WriteByte('/')
			}
		default:
			switch {
			case r < 0x20:
				fmt.Fprintf(b, `\u%04x`, r)
			case r < 0x80 || style == jsStyle:
				b.WriteRune(r)
			case r > 0xffff:
				hi, lo := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
			default:
				fmt.Fprintf(b, `\u%04x`, r)
			}
		}
	}
	b.WriteByte('"')
}

// CustomerRef is the signed customer id, checked before it goes into an
// API path.
func CustomerRef(params map[string]string) (string, error) {
	ref := params["customer-id"]
	if ref == "" {
		return "", inbox.Reject(inbox.ErrUnknownContact, "Help Scout didn't say which customer this conversation is with (a draft, or a conversation without a customer). Open a conversation with a customer.")
	}
	if err := inbox.NumericRef(ref, "customer id"); err != nil {
		return "", err
	}
	return ref, nil
}
