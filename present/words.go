package present

import (
	"fmt"
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

// zeroDecimalCurrencies are shown without cents.
var zeroDecimalCurrencies = map[string]bool{"JPY": true, "KRW": true, "VND": true, "CLP": true, "ISK": true, "UGX": true, "XAF": true, "XOF": true, "XPF": true}

// formatMoney writes Shopify's decimal string as "1,234.50 CAD".
func formatMoney(m domain.Money) string {
	if m.Amount == "" {
		return ""
	}
	f, err := strconv.ParseFloat(m.Amount, 64)
	if err != nil {
		return m.Amount + " " + m.Currency
	}
	decimals := 2
	if zeroDecimalCurrencies[m.Currency] {
		decimals = 0
	}
	s := strconv.FormatFloat(f, 'f', decimals, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	out := sign + groupThousands(whole)
	if frac != "" {
		out += "." + frac
	}
	return strings.TrimSpace(fmt.Sprintf("%s %s", out, m.Currency))
}
