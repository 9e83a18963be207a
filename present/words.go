package present

import (
	"math/big"
	"strconv"
	"strings"
	"time"

	"shopcard/domain"
	"shopcard/views"
)

// humanize turns an enum value Shopify added after us ("SOME_NEW_STATE")
// into words ("Some new state") rather than failing.
func humanize(enum string) string {
	if enum == "" {
		return ""
	}
	s := strings.ToLower(strings.ReplaceAll(enum, "_", " "))
	return strings.ToUpper(s[:1]) + s[1:]
}

// When shows t relative to now, with the exact time for hover.
func When(t time.Time, now time.Time) views.When {
	t = t.UTC()
	return views.When{Relative: relative(t, now), Absolute: t.Format("2 Jan 2006, 15:04 UTC"), ISO: t.Format(time.RFC3339)}
}

func relative(t, now time.Time) string {
	d := now.Sub(t)
	if d < 0 {
		return "just now"
	}
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return Plural(uint64(d/time.Minute), "minute ago", "minutes ago")
	case d < 24*time.Hour:
		return Plural(uint64(d/time.Hour), "hour ago", "hours ago")
	case d < 48*time.Hour:
		return "yesterday"
	case d < 30*24*time.Hour:
		return Plural(uint64(d/(24*time.Hour)), "day ago", "days ago")
	case d < 365*24*time.Hour:
		return Plural(uint64(d/(30*24*time.Hour)), "month ago", "months ago")
	}
	return Plural(uint64(d/(365*24*time.Hour)), "year ago", "years ago")
}

// Plural writes "1 order" or "1,204 orders".
func Plural(n uint64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return groupThousands(strconv.FormatUint(n, 10)) + " " + many
}

func groupThousands(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	lead := len(digits) % 3
	if lead > 0 {
		b.WriteString(digits[:lead])
	}
	for i := lead; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// minorUnits are the currencies whose minor unit is not the usual
// hundredth, by ISO 4217 (and Shopify's own choices for the currencies it
// lists): a three-decimal dinar or rial rounded to two shows the wrong
// price, a yen with decimals a price that cannot be paid.
var minorUnits = map[string]int{
	// Three decimals.
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	// None.
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	// USDC has six on its chain; Shopify shows two.
}

// decimalsOf is how many decimals an amount in currency is shown with.
func decimalsOf(currency string) int {
	if n, ok := minorUnits[currency]; ok {
		return n
	}
	return 2
}

// formatMoney writes Shopify's decimal string as "1,234.50 CAD", with the
// currency's own minor units ("12.345 KWD", "1,200 JPY"). The amount is
// rounded exactly, as a decimal, never through a float.
func formatMoney(m domain.Money) string {
	if m.Amount == "" {
		return ""
	}
	r, ok := new(big.Rat).SetString(m.Amount)
	if !ok {
		return strings.TrimSpace(m.Amount + " " + m.Currency)
	}
	s := r.FloatString(decimalsOf(m.Currency))
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if sign != "" && strings.Trim(whole+frac, "0") == "" {
		sign = "" // -0.001 rounds to 0.00, not -0.00
	}
	out := sign + groupThousands(whole)
	if frac != "" {
		out += "." + frac
	}
	return strings.TrimSpace(out + " " + m.Currency)
}

// isZeroMoney reports whether an amount is zero or missing.
func isZeroMoney(m domain.Money) bool {
	r, ok := new(big.Rat).SetString(m.Amount)
	return m.Amount == "" || !ok || r.Sign() == 0
}

// sameMoney reports whether two amounts are equal as numbers ("30.0" and
// "30" are).
func sameMoney(a, b domain.Money) bool {
	x, okA := new(big.Rat).SetString(a.Amount)
	y, okB := new(big.Rat).SetString(b.Amount)
	return okA && okB && a.Currency == b.Currency && x.Cmp(y) == 0
}

// day formats a date the way a rep says it: "Thu 4 Dec", with the year
// when it is not now's ("Mon 4 Jan 2027"). Dates are in UTC, like every
// time the sidebar shows.
func day(t, now time.Time) string {
	t = t.UTC()
	if t.Year() != now.UTC().Year() {
		return t.Format("Mon 2 Jan 2006")
	}
	return t.Format("Mon 2 Jan")
}

// monthYear is "March 2019": how long someone has been a customer needs no
// more precision, and it never goes stale.
func monthYear(t time.Time) string { return t.UTC().Format("January 2006") }
