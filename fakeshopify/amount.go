package fakeshopify

import (
	"fmt"
	"strconv"
	"strings"
)

// amount is a money amount in ten-thousandths, exact for every currency
// Shopify supports (the most precise have three decimals) and cheap to sum.
type amount int64

const amountScale = 10000

// parseAmount reads a decimal string such as "49.90", "1200" or "0.125".
func parseAmount(s string) (amount, error) {
	if s == "" {
		return 0, nil
	}
	neg := strings.HasPrefix(s, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	if whole == "" || len(frac) > 4 || strings.ContainsAny(whole+frac, "+-") {
		return 0, fmt.Errorf("%q is not a decimal amount with at most 4 decimals", s)
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a decimal amount: %w", s, err)
	}
	var f int64
	if frac != "" {
		f, err = strconv.ParseInt(frac+strings.Repeat("0", 4-len(frac)), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a decimal amount: %w", s, err)
		}
	}
	a := amount(w*amountScale + f)
	if neg {
		a = -a
	}
	return a, nil
}

// String formats the amount the way Shopify's Decimal scalar does: no
// trailing zeros, but always at least one decimal ("11884.9", "120.0").
func (a amount) String() string {
	sign := ""
	if a < 0 {
		sign, a = "-", -a
	}
	frac := strings.TrimRight(fmt.Sprintf("%04d", int64(a%amountScale)), "0")
	if frac == "" {
		frac = "0"
	}
	return fmt.Sprintf("%s%d.%s", sign, int64(a/amountScale), frac)
}
