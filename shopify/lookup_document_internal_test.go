package shopify

import (
	"reflect"
	"testing"
)

// TestLookupAnswerHoldsEveryEmail: lookupAnswer has a customer and a
// guest field for every email a document may carry, under the aliases the
// composed document uses, and email(i) returns email i's own.
func TestLookupAnswerHoldsEveryEmail(t *testing.T) {
	typ := reflect.TypeFor[lookupAnswer]()
	if got, want := typ.NumField(), 2*maxEmailsPerDocument; got != want {
		t.Fatalf("lookupAnswer has %d fields, want %d (a customer and a guest search per email)", got, want)
	}
	var a lookupAnswer
	v := reflect.ValueOf(&a).Elem()
	for i := range maxEmailsPerDocument {
		for _, alias := range []string{"customer", "guests"} {
			want := alias + string(rune('0'+i))
			f, ok := typ.FieldByName(string(alias[0]-'a'+'A') + alias[1:] + string(rune('0'+i)))
			if !ok || f.Tag.Get("json") != want {
				t.Errorf("no field tagged %q", want)
			}
		}
		c := &lookupCustomer{}
		v.FieldByName("Customer" + string(rune('0'+i))).Set(reflect.ValueOf(c))
		if got, g := a.email(i); got != c || g != v.FieldByName("Guests"+string(rune('0'+i))).Addr().Interface() {
			t.Errorf("email(%d) returns another email's fields", i)
		}
	}
}
