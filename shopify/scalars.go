package shopify

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// UnsignedInt64 is Shopify's UnsignedInt64 scalar. Shopify sends it as a JSON
// string (for example "9522206933298") so that JavaScript clients keep every
// digit; we also accept a bare number in case a proxy rewrites it.
type UnsignedInt64 uint64

// UnmarshalJSON accepts "123" and 123.
func (u *UnsignedInt64) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		b = []byte(s)
	}
	n, err := strconv.ParseUint(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("UnsignedInt64: %w", err)
	}
	*u = UnsignedInt64(n)
	return nil
}

// MarshalJSON writes the value as a JSON string, the way Shopify does.
func (u UnsignedInt64) MarshalJSON() ([]byte, error) {
	return []byte(`"` + strconv.FormatUint(uint64(u), 10) + `"`), nil
}

// String returns the decimal digits.
func (u UnsignedInt64) String() string { return strconv.FormatUint(uint64(u), 10) }
