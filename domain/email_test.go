package domain

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ada@example.com", "ada@example.com", true},
		{"  Ada.Lovelace+VIP@Example.COM ", "ada.lovelace+vip@example.com", true},
		{`"a b"@example.com`, `"a b"@example.com`, true},
		{`o'brien@example.ie`, `o'brien@example.ie`, true},
		{"ADA@EXAMPLE.COM", "ada@example.com", true},
		{" \tAda@Example.com\r\n", "ada@example.com", true},
		{"", "", false},
		{"ada", "", false},
		{"@example.com", "", false},
		{"ada@", "", false},
		{"ada@localhost", "", false},
		{"ada@example..com", "", false},
		{"ada@exa mple.com", "", false},
		{"ada@example.com\n", "ada@example.com", true},
		{"ada\x00@example.com", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizeEmail(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && KindOf(err) != KindInvalid {
				t.Errorf("kind %v, want invalid", KindOf(err))
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestNormalizeEmailNeverFolds holds that no address outside ASCII becomes
// another one: Unicode lowercasing turns the Kelvin sign into k and the
// dotted capital I into i, compatibility mapping turns fullwidth letters
// into ASCII ones, and Unicode trimming eats a no-break space, so each of
// these would have shown another person's customer.
func TestNormalizeEmailNeverFolds(t *testing.T) {
	tests := []struct{ name, in string }{
		{"Kelvin sign for K", "\u212Ate@example.com"},
		{"dotted capital I", "\u0130nci@example.com"},
		{"long s", "\u017Fam@example.com"},
		{"fullwidth a", "\uFF41da@example.com"},
		{"Cyrillic e in the domain", "ada@exampl\u0435.com"},
		{"accented local part", "zo\u00EB@example.se"},
		{"internationalized domain", "ada@ex\u00E4mple.se"},
		{"no-break space around", "\u00A0ada@example.com"},
		{"ideographic space around", "ada@example.com\u3000"},
		{"combining mark", "ade\u0301@example.com"},
		{"invalid UTF-8", "ad\xffa@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizeEmail(tt.in)
			if err == nil {
				t.Fatalf("NormalizeEmail(%q) = %q, want an error", tt.in, got)
			}
			if KindOf(err) != KindInvalid || !errors.Is(err, ErrNonASCIIEmail) {
				t.Errorf("error %v (kind %v), want an invalid ErrNonASCIIEmail", err, KindOf(err))
			}
			if !strings.Contains(MessageOf(err), "ASCII") {
				t.Errorf("message %q does not say what is wrong", MessageOf(err))
			}
		})
	}
}

// TestNormalizeEmailOnlyASCIICaseMeetsItself checks every rune of the
// Basic Multilingual Plane and beyond in an address: only ASCII letters may
// lowercase, and no other rune may pass, so two inputs share a normalized
// address only when they differ in ASCII case and surrounding ASCII space.
func TestNormalizeEmailOnlyASCIICaseMeetsItself(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue
		}
		in := "a" + string(r) + "b@example.com"
		got, err := NormalizeEmail(in)
		switch {
		case r >= utf8.RuneSelf:
			if err == nil {
				t.Fatalf("U+%04X passed as %q", r, got)
			}
		case err != nil:
			continue
		case r >= 'A' && r <= 'Z':
			if want := "a" + string(r+'a'-'A') + "b@example.com"; got != want {
				t.Fatalf("U+%04X: %q, want %q", r, got, want)
			}
		default:
			if got != in {
				t.Fatalf("U+%04X changed %q into %q", r, in, got)
			}
		}
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := NewSecret("shpat_supersecret")
	for _, got := range []string{s.String(), s.GoString(), s.LogValue().String()} {
		if got != "[redacted]" {
			t.Errorf("secret printed as %q", got)
		}
	}
	if b, _ := s.MarshalText(); string(b) != "[redacted]" {
		t.Errorf("secret marshalled as %q", b)
	}
	if s.Reveal() != "shpat_supersecret" {
		t.Error("Reveal lost the value")
	}
}
