package admin

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/domain"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/present"
	"shopcard/views"
)

// Troubleshoot looks an email up in every store of the workspace the way
// the sidebar does, and explains each answer.
type Troubleshoot struct {
	Pages  *Pages
	Stores StoreLister
	// Lookup goes through the cache, like the sidebar; Fresh skips it.
	Lookup CustomerLookup
	Fresh  FreshLookup
	// StoreTimeout is the sidebar's deadline for one store.
	StoreTimeout time.Duration
	Now          func() time.Time
}

// Page serves GET /admin/troubleshoot?email=….
func (t *Troubleshoot) Page(c echo.Context) error {
	return t.run(c, c.QueryParam("email"), false)
}

// Bypass serves POST /admin/troubleshoot: the same check, with each store
// asked again rather than read from the cache.
func (t *Troubleshoot) Bypass(c echo.Context) error {
	return t.run(c, c.FormValue("email"), true)
}

func (t *Troubleshoot) run(c echo.Context, raw string, bypass bool) error {
	ch, err := t.Pages.chrome(c, "Troubleshoot", route.AdminTroubleshoot)
	if err != nil {
		return err
	}
	page := views.TroubleshootPage{
		Chrome: ch, Action: c.Echo().Reverse(route.AdminTroubleshoot), BypassAction: c.Echo().Reverse(route.AdminTroubleshootNow),
		Email: strings.TrimSpace(raw), Bypassed: bypass, Causes: present.CommonCauses,
	}
	if page.Email == "" {
		return respond.HTML(c, http.StatusOK, views.TroubleshootPageView(page))
	}
	email, err := domain.NormalizeEmail(raw)
	if err != nil {
		page.Error = domain.MessageOf(err)
		return respond.HTML(c, http.StatusBadRequest, views.TroubleshootPageView(page))
	}
	page.Email = email
	ctx := c.Request().Context()
	stores, err := t.Stores.StoresByWorkspace(ctx, current(c).workspace.ID)
	if err != nil {
		return err
	}
	page.NoStores = len(stores) == 0
	page.Results = make([]views.TroubleshootResult, len(stores))
	var wg sync.WaitGroup
	for i, s := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			page.Results[i] = present.Troubleshoot(t.lookup(ctx, s, email, bypass), t.Now())
		}()
	}
	wg.Wait()
	return respond.HTML(c, http.StatusOK, views.TroubleshootPageView(page))
}

// lookup asks one store within the sidebar's deadline, and times it.
func (t *Troubleshoot) lookup(ctx context.Context, s domain.Store, email string, bypass bool) present.Lookup {
	ctx, cancel := context.WithTimeout(ctx, t.StoreTimeout)
	defer cancel()
	l := present.Lookup{Store: s, Started: time.Now()}
	if bypass {
		l.Answer, l.Err = t.Fresh.LookupFresh(ctx, s, email)
	} else {
		l.Answer, l.Err = t.Lookup.LookupCustomer(ctx, s, email)
	}
	l.Took = time.Since(l.Started)
	return l
}
