package domain

import "testing"

func TestNormalizeEmail(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"ada@example.com", "ada@example.com", true},
		{"  Ada.Lovelace+VIP@Example.COM ", "ada.lovelace+vip@example.com", true},
		{`"a b"@example.com`, `"a b"@example.com`, true},
		{`o'brien@example.ie`, `o'brien@example.ie`, true},
		{"zoë@exämple.se", "zoë@exämple.se", true},
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
