package atrest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func testBox(t *testing.T, fill byte) *Box {
	t.Helper()
	b, err := New(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpen(t *testing.T) {
	box := testBox(t, 1)
	sealed, err := box.Seal("store:1:token", "shpat_secret")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "shpat_secret") {
		t.Fatal("ciphertext contains the plaintext")
	}
	again, _ := box.Seal("store:1:token", "shpat_secret")
	if again == sealed {
		t.Error("two seals of one value are identical; nonces are not random")
	}

	tests := []struct {
		name    string
		box     *Box
		context string
		sealed  string
		want    string
		wantErr bool
	}{
		{"same key and context", box, "store:1:token", sealed, "shpat_secret", false},
		{"other context", box, "store:2:token", sealed, "", true},
		{"other key", testBox(t, 2), "store:1:token", sealed, "", true},
		{"tampered", box, "store:1:token", tamper(sealed), "", true},
		{"not ours", box, "store:1:token", "plaintext", "", true},
		{"empty stays empty", box, "store:1:token", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.box.Open(tt.context, tt.sealed)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "sub", "shopcard.key")

	k1, created, err := LoadKey("", file)
	if err != nil || !created || len(k1) != KeySize {
		t.Fatalf("first run: key %d bytes, created %v, err %v", len(k1), created, err)
	}
	info, err := os.Stat(file)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", info.Mode().Perm())
	}
	k2, created, err := LoadKey("", file)
	if err != nil || created || !bytes.Equal(k1, k2) {
		t.Fatalf("second run: created %v, err %v, same key %v", created, err, bytes.Equal(k1, k2))
	}

	hexKey := strings.Repeat("ab", KeySize)
	tests := []struct {
		name    string
		env     string
		wantErr bool
	}{
		{"hex", hexKey, false},
		{"base64", "q6urq6urq6urq6urq6urq6urq6urq6urq6urq6urq6s=", false},
		{"too short", "abcd", true},
		{"not a key", "correct horse battery staple", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, _, err := LoadKey(tt.env, file)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if !tt.wantErr && len(k) != KeySize {
				t.Errorf("key is %d bytes", len(k))
			}
		})
	}

	if err := os.Chmod(file, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := LoadKey("", file); err == nil {
		t.Error("a world-readable key file was accepted")
	}
}

// tamper changes one character in the middle of a sealed value, so one
// byte of the nonce or the ciphertext differs whatever the value was.
// (Overwriting its end with fixed text changed nothing when the value
// already ended in that text, and base64's last character may carry bits
// that decoding ignores.)
func tamper(sealed string) string {
	b := []byte(sealed)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}
