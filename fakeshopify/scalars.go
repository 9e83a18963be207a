package fakeshopify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// The Go types below bind the schema's custom scalars for graphql-go. Each
// serializes exactly as Shopify does; the fake never receives them as
// input today, but graphql-go requires an unmarshaler for every scalar.

// dateTime is Shopify's DateTime: RFC 3339 in UTC with whole seconds, like
// "2025-03-26T19:51:37Z".
type dateTime struct{ time.Time }

func (dateTime) ImplementsGraphQLType(name string) bool { return name == "DateTime" }

func (d *dateTime) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("DateTime must be a string, got %T", input)
	}
	t, err := time.Parse(time.RFC3339, s)
	d.Time = t
	return err
}

func (d dateTime) MarshalJSON() ([]byte, error) {
	return json.Marshal(d.UTC().Truncate(time.Second).Format(time.RFC3339))
}

// unsignedInt64 is Shopify's UnsignedInt64, sent as a JSON string
// ("9522206933298") so JavaScript clients keep every digit.
type unsignedInt64 uint64

func (unsignedInt64) ImplementsGraphQLType(name string) bool { return name == "UnsignedInt64" }

func (u *unsignedInt64) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("UnsignedInt64 must be a string, got %T", input)
	}
	n, err := strconv.ParseUint(s, 10, 64)
	*u = unsignedInt64(n)
	return err
}

func (u unsignedInt64) MarshalJSON() ([]byte, error) {
	return json.Marshal(strconv.FormatUint(uint64(u), 10))
}

// decimal is Shopify's Decimal, a string such as "11884.9".
type decimal string

func (decimal) ImplementsGraphQLType(name string) bool { return name == "Decimal" }

func (d *decimal) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("Decimal must be a string, got %T", input)
	}
	*d = decimal(s)
	return nil
}

func (d decimal) MarshalJSON() ([]byte, error) { return json.Marshal(string(d)) }

// url is Shopify's URL scalar, a plain string. Shopify does not restrict
// the scheme of tracking URLs, so neither does the fake.
type url string

func (url) ImplementsGraphQLType(name string) bool { return name == "URL" }

func (u *url) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("URL must be a string, got %T", input)
	}
	*u = url(s)
	return nil
}

func (u url) MarshalJSON() ([]byte, error) { return json.Marshal(string(u)) }

// money is Shopify's Money scalar, a decimal string such as "189.0" (a
// variant's price).
type money string

func (money) ImplementsGraphQLType(name string) bool { return name == "Money" }

func (m *money) UnmarshalGraphQL(input any) error {
	s, ok := input.(string)
	if !ok {
		return fmt.Errorf("Money must be a string, got %T", input)
	}
	*m = money(s)
	return nil
}

func (m money) MarshalJSON() ([]byte, error) { return json.Marshal(string(m)) }
