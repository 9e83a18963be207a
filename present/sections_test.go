package present_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"shopcard/domain"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
	"shopcard/present"
	"shopcard/views"
)

// sectionFixture is Jordan's 50-order answer, a guest's orders and a stale
// answer, as one contact with three emails.
func sectionFixture(t *testing.T) (*apptest.Env, domain.Store, []present.Result) {
	t.Helper()
	env := apptest.Start(t, apptest.Options{})
	store := env.Stores[fakeshopify.AcmeDomain]
	var results []present.Result
	for _, email := range []string{fakeshopify.EmailSixtyOrders, fakeshopify.EmailShowcase, "walk-in.guest@example.com"} {
		a, err := env.App.Lookup.LookupCustomer(context.Background(), store, email)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, present.Result{Email: email, Answer: a})
	}
	stale := *results[1].Answer
	stale.Stale = true
	results[1].Answer = &stale
	return env, store, results
}

// A section presented at now reads exactly the same until
// present.ValidUntil, whatever now is.
func TestSectionValidUntil(t *testing.T) {
	t.Parallel()
	_, store, results := sectionFixture(t)
	rng := rand.New(rand.NewPCG(3, 4))
	base := time.Now()
	for range 300 {
		now := base.Add(time.Duration(rng.Int64N(int64(400 * 24 * time.Hour))))
		until := present.ValidUntil(results, now)
		if !until.After(now) {
			t.Fatalf("valid until %v, not after now", until.Sub(now))
		}
		a := present.Section(views.StoreSection{}, store, results, nil, now)
		b := present.Section(views.StoreSection{}, store, results, nil, until.Add(-time.Nanosecond))
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("the section changed %v after now, before its validity ended at %v", until.Sub(now), until.Sub(now))
		}
	}
}

// The section cache reuses a section while present.Inputs(store) is unchanged, so
// no other field of the store may change what a section shows.
func TestSectionInputsCoverTheStore(t *testing.T) {
	t.Parallel()
	_, store, results := sectionFixture(t)
	now := time.Now()
	section := func(s domain.Store) views.StoreSection {
		return present.Section(present.LoadingSection(s, apptest.SectionPath(s)), s, results, apptest.OrderPaths(s), now)
	}
	want := section(store)
	inputs := map[string]bool{"ID": true, "Domain": true, "ShopName": true, "Scopes": true}
	typ := reflect.TypeFor[domain.Store]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		changed := store
		v := reflect.ValueOf(&changed).Elem().Field(i)
		switch {
		case f.Type == reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(now.Add(-time.Hour)))
		case f.Type == reflect.TypeFor[domain.Secret]():
			v.Set(reflect.ValueOf(domain.NewSecret("changed")))
		case f.Type.Kind() == reflect.String:
			v.SetString(v.String() + "-changed")
		case f.Type.Kind() == reflect.Int64:
			v.SetInt(v.Int() + 7)
		case f.Type.Kind() == reflect.Slice:
			v.Set(reflect.ValueOf([]string{"changed"}))
		default:
			t.Fatalf("teach this test to change %s (%s)", f.Name, f.Type)
		}
		sameInputs := present.Inputs(changed) == present.Inputs(store)
		if inputs[f.Name] == sameInputs {
			t.Errorf("present.Inputs and %s: changing it changes the inputs = %v", f.Name, !sameInputs)
		}
		if !inputs[f.Name] && !reflect.DeepEqual(section(changed), want) {
			t.Errorf("changing the store's %s changes its section: add it to present.Inputs", f.Name)
		}
	}
}
