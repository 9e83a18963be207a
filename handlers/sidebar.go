package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"golang.org/x/sync/singleflight"

	"shopcard/domain"
	"shopcard/embedtoken"
	"shopcard/handlers/respond"
	"shopcard/handlers/route"
	"shopcard/handlers/sectioncache"
	"shopcard/present"
	"shopcard/shopify"
	"shopcard/views"
)

// TokenHeader carries the embed token on fragment requests; htmx sends it
// from the page's hx-headers. It is never a cookie, so a third-party frame
// works in browsers that block third-party cookies.
const TokenHeader = "X-Shopcard-Token"

// Workspaces finds workspaces.
type Workspaces interface {
	WorkspaceByName(ctx context.Context, name string) (domain.Workspace, error)
}

// Stores lists and finds a workspace's store connections.
type Stores interface {
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
	StoreByID(ctx context.Context, workspaceID, storeID int64) (domain.Store, error)
}

// CustomerLookup finds a customer and their orders in one store. The
// Shopify client implements it, and so does the cache that decorates it.
type CustomerLookup interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
}

// OrderDetailLookup finds one order's detail in a store. The Shopify
// client implements it, and so does the cache that decorates it.
type OrderDetailLookup interface {
	LookupOrder(ctx context.Context, store domain.Store, orderID uint64) (*domain.OrderDetail, error)
}

// AnswerPeeker reads what the cache holds for an email, fresh or the last
// good answer, without asking Shopify: the page sizes each section's
// skeleton from it.
type AnswerPeeker interface {
	Peek(store domain.Store, email string) (*domain.CustomerOrders, bool)
}

// OrderLookup finds orders by name in one store, through the same cache
// as the customer lookup.
type OrderLookup interface {
	FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error)
}

// TokenVerifier checks embed tokens.
type TokenVerifier interface {
	Verify(ctx context.Context, token string) (embedtoken.Claims, error)
	// UnverifiedWorkspace reads the workspace a token names, checking
	// nothing (embedtoken.UnverifiedWorkspace).
	UnverifiedWorkspace(token string) string
}

// Sidebar is the embedded sidebar: a page with the contact, then one
// fragment per connected store.
type Sidebar struct {
	Tokens     TokenVerifier
	Workspaces Workspaces
	Stores     Stores
	Lookup     CustomerLookup
	// Orders answers the "Find an order" box; without it the sidebar has
	// no box.
	Orders OrderLookup
	// Details opens orders; Peek, when set, sizes skeletons from cached
	// answers.
	Details OrderDetailLookup
	Peek    AnswerPeeker
	// Sections keeps rendered sections to send again; nil keeps none.
	Sections *sectioncache.Cache
	// StoreTimeout bounds how long one store section waits for Shopify.
	StoreTimeout time.Duration
	Assets       views.Assets
	Now          func() time.Time

	// renders shares one rendering among requests for the same section;
	// rendered counts renderings.
	renders  singleflight.Group
	rendered atomic.Int64
}

// Page serves GET /sidebar?token=…: the contact and one lazily loading
// section per connected store.
func (s *Sidebar) Page(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.QueryParam("token") // bounded by frameableBy
	claims, err := s.Tokens.Verify(ctx, token)
	if err != nil {
		return err
	}
	return s.render(c, token, claims, themeOf(c))
}

// render serves the sidebar page for a verified token: the embedded
// sidebar's own, and the one a helpdesk app opens for its verified contact
// (apps.go).
func (s *Sidebar) render(c echo.Context, token string, claims embedtoken.Claims, theme views.Theme) error {
	ctx := c.Request().Context()
	ws, err := s.Workspaces.WorkspaceByName(ctx, claims.Workspace)
	if err != nil {
		return err
	}
	stores, err := s.Stores.StoresByWorkspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	headers, err := json.Marshal(map[string]string{TokenHeader: token})
	if err != nil {
		return err
	}
	page := views.SidebarPage{
		Assets:          s.Assets,
		Theme:           theme,
		ContactName:     claims.Name,
		Emails:          claims.Contact(),
		FragmentHeaders: string(headers),
	}
	emails := claims.Contact()
	for _, st := range stores {
		sec := loadingSection(c, st)
		if sk, ok := s.cachedSkeleton(st, emails); ok {
			sec.Skeleton = sk
		} else {
			// The section will replace the typical skeleton: it says so,
			// so that what arrives keeps to its size.
			sec.FragmentURL += "?" + url.Values{coldParam: {"1"}}.Encode()
		}
		page.Sections = append(page.Sections, sec)
	}
	if s.Orders != nil && len(stores) > 0 {
		page.OrderSearchURL = c.Echo().Reverse(route.SidebarOrders)
	}
	return respond.HTML(c, http.StatusOK, views.SidebarPageView(page))
}

// SearchOrders serves GET /sidebar/orders?q=…, the "Find an order" box:
// the orders named q in every connected store at once, each store within
// its own deadline, as fragments are. The token travels in the header, as
// for sections.
func (s *Sidebar) SearchOrders(c echo.Context) error {
	ctx := c.Request().Context()
	claims, ws, err := s.fragmentWorkspace(c)
	if err != nil {
		return err
	}
	if s.Orders == nil {
		return echo.ErrNotFound
	}
	name, err := shopify.NormalizeOrderName(c.QueryParam("q"))
	if err != nil {
		return respond.HTML(c, http.StatusOK, views.OrderSearchResultsView(present.OrderSearchRefused(domain.MessageOf(err))))
	}
	stores, err := s.Stores.StoresByWorkspace(ctx, ws.ID)
	if err != nil {
		return err
	}
	answers := make([]present.OrderSearchAnswer, len(stores))
	var wg sync.WaitGroup
	for i, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, s.StoreTimeout)
			defer cancel()
			found, err := s.Orders.FindOrders(ctx, st, name)
			answers[i] = present.OrderSearchAnswer{Store: st, Answer: found, Err: err}
		}()
	}
	wg.Wait()
	return respond.HTML(c, http.StatusOK, views.OrderSearchResultsView(present.OrderSearch(name, claims.Contact(), answers, s.Now())))
}

// coldParam on a section's URL says the page showed the typical skeleton
// for it (nothing was cached): see present.ColdSection.
const coldParam = "cold"

// cachedSkeleton sizes a store's skeleton from the answers the cache holds
// for every one of the contact's emails, when it holds them all.
func (s *Sidebar) cachedSkeleton(store domain.Store, emails []string) (views.Skeleton, bool) {
	if s.Peek == nil {
		return views.Skeleton{}, false
	}
	results := make([]present.Result, len(emails))
	for i, e := range emails {
		a, ok := s.Peek.Peek(store, e)
		if !ok {
			return views.Skeleton{}, false
		}
		results[i] = present.Result{Email: e, Answer: a}
	}
	return present.SkeletonFor(results), true
}

// orderURLs builds the detail URLs of a store's orders from the route.
func orderURLs(c echo.Context, store domain.Store) present.OrderURLs {
	return func(id uint64) string { return c.Echo().Reverse(route.SidebarOrder, store.ID, id) }
}

// loadingSection is a store's section before its data arrives.
func loadingSection(c echo.Context, s domain.Store) views.StoreSection {
	return present.LoadingSection(s, c.Echo().Reverse(route.SidebarStore, s.ID))
}

// Section serves GET /sidebar/stores/:store, the fragment with one store's
// customer and orders. Shopify's failures become the section's own calm
// note (with status 200, since the request itself succeeded); only a bad
// token or an unknown store is an HTTP error.
func (s *Sidebar) Section(c echo.Context) error {
	// Sections compress themselves (the gzip middleware skips them), so
	// they say what varies, as the middleware does on every route.
	addVary(c.Response().Header())
	ctx := c.Request().Context()
	claims, store, err := s.fragmentStore(c)
	if err != nil {
		return err
	}
	results := s.lookup(ctx, store, claims.Contact())
	now := s.Now()
	gzipOK := acceptsGzip(c)
	key := sectioncache.Key(store, results)
	cold := c.QueryParam(coldParam) != ""
	if cold && key != "" {
		// It folds and reserves differently from the same section sized
		// from the last answer.
		key += "\x00cold"
	}
	if kept, ok := s.Sections.Get(key, results, now); ok {
		if b, gzipped, ok := kept.Body(gzipOK); ok {
			return writeSection(c, b, gzipped)
		}
	}
	if key == "" {
		// Failures and stale answers are not kept, nor shared.
		b, gzipped, err := s.renderSection(c, store, results, cold, gzipOK, key, now)
		if err != nil {
			return err
		}
		return writeSection(c, b, gzipped)
	}
	// Requests for the same section from the same answers (a herd that
	// shared one Shopify call) render it once: the first renders, the
	// others wait for its bytes.
	flight := renderFlightKey(key, results, gzipOK)
	v, err, _ := s.renders.Do(flight, func() (any, error) {
		if kept, ok := s.Sections.Get(key, results, now); ok {
			if b, gzipped, ok := kept.Body(gzipOK); ok {
				return renderedSection{b, gzipped}, nil
			}
		}
		b, gzipped, err := s.renderSection(c, store, results, cold, gzipOK, key, now)
		return renderedSection{b, gzipped}, err
	})
	if err != nil {
		return err
	}
	r := v.(renderedSection)
	return writeSection(c, r.body, r.gzipped)
}

// renderedSection is a section's bytes as sent.
type renderedSection struct {
	body    []byte
	gzipped bool
}

// renderFlightKey names one rendering: the section's key, the very
// answers it is made from (a newer answer is another rendering) and the
// encoding.
func renderFlightKey(key string, results []present.Result, gzipOK bool) string {
	var b strings.Builder
	b.WriteString(key)
	for _, r := range results {
		b.WriteByte(0)
		fmt.Fprintf(&b, "%p", r.Answer)
		b.WriteByte('@')
		b.WriteString(strconv.FormatInt(r.Answer.FetchedAt.UnixNano(), 16))
	}
	if gzipOK {
		b.WriteString("\x00gzip")
	}
	return b.String()
}

// renderSection presents, renders and (for a client that takes it)
// compresses a section, and keeps it when key says it may be kept.
func (s *Sidebar) renderSection(c echo.Context, store domain.Store, results []present.Result, cold, gzipOK bool, key string, now time.Time) ([]byte, bool, error) {
	s.rendered.Add(1)
	sec := loadingSection(c, store)
	if cold {
		sec = present.ColdSection(sec)
		sec.FragmentURL += "?" + url.Values{coldParam: {"1"}}.Encode()
	}
	section := present.Section(sec, store, results, orderURLs(c, store), now)
	// Requests waiting for this rendering outlive the one that renders.
	html, err := renderBytes(context.WithoutCancel(c.Request().Context()), views.StoreSectionBody(section))
	if err != nil {
		return nil, false, err
	}
	validUntil := present.ValidUntil(results, now)
	if gzipOK && len(html) >= sectioncache.GzipMinLength {
		// A client that takes gzip gets, and the cache keeps, only the
		// compressed bytes: a twentieth of the HTML.
		gz := sectioncache.Compress(html)
		s.Sections.Put(key, results, now, validUntil, len(html), nil, gz)
		return gz, true, nil
	}
	s.Sections.Put(key, results, now, validUntil, len(html), html, nil)
	return html, false, nil
}

// SectionsRendered counts the store sections this Sidebar has presented
// and rendered, rather than sent again from the section cache or shared
// with a request rendering the same section at the same time.
func (s *Sidebar) SectionsRendered() int64 { return s.rendered.Load() }

// Order serves GET /sidebar/stores/:store/orders/:order, an opened order's
// detail, loaded when the rep first opens it. It only opens an order that
// the contact's own lookup lists in a store of the token's workspace: a
// rep cannot open any other order by editing the URL. Shopify's failures
// become the detail's own note, above what the summary knew.
func (s *Sidebar) Order(c echo.Context) error {
	ctx := c.Request().Context()
	claims, store, err := s.fragmentStore(c)
	if err != nil {
		return err
	}
	orderID, err := strconv.ParseUint(c.Param("order"), 10, 64)
	if err != nil {
		return domain.Errorf(domain.KindNotFound, "This order isn't one of this contact's.")
	}
	emails := claims.Contact()
	results := s.lookup(ctx, store, emails)
	now := s.Now()
	retryURL := c.Echo().Reverse(route.SidebarOrder, store.ID, orderID)
	summary, owner, lookupErr := contactsOrder(results, orderID)
	if summary == nil {
		if lookupErr != nil {
			// The contact's orders could not be checked, so the order
			// cannot be opened; say why, and offer to try again.
			return respond.HTML(c, http.StatusOK, views.OrderDetailView(
				present.OrderDetailFailure(store, &domain.Order{LegacyResourceID: orderID}, lookupErr, retryURL, now)))
		}
		return domain.Errorf(domain.KindNotFound, "This order isn't one of this contact's.")
	}
	ctx, cancel := context.WithTimeout(ctx, s.StoreTimeout)
	defer cancel()
	detail, err := s.Details.LookupOrder(ctx, store, orderID)
	if err == nil && !ownedBy(detail, owner, emails) {
		// Shopify now says the order is someone else's: show nothing of it.
		return domain.Errorf(domain.KindNotFound, "This order isn't one of this contact's.")
	}
	var view views.OrderDetail
	if err != nil {
		view = present.OrderDetailFailure(store, summary, err, retryURL, now)
	} else {
		view = present.OrderDetail(store, detail, now)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return respond.HTML(c, http.StatusOK, views.OrderDetailView(view))
}

// contactsOrder finds an order among the contact's looked-up orders: the
// order, and the legacy ID of the customer it belongs to (0 for a guest
// checkout). When it isn't there and some lookup failed, that failure is
// returned: the order may be the contact's, but it cannot be told.
func contactsOrder(results []present.Result, orderID uint64) (*domain.Order, uint64, error) {
	var failed error
	for _, r := range results {
		if r.Err != nil {
			failed = r.Err
			continue
		}
		a := r.Answer
		var owner uint64
		orders := a.GuestOrders
		if a.Customer != nil {
			owner, orders = a.Customer.LegacyResourceID, a.Orders
		}
		for i := range orders {
			if orders[i].LegacyResourceID == orderID {
				return &orders[i], owner, nil
			}
		}
	}
	return nil, 0, failed
}

// ownedBy checks Shopify's detail against the owner the summary named: a
// customer's order must still be theirs, and a guest order's email, when
// Shopify sends it, one of the contact's.
func ownedBy(d *domain.OrderDetail, owner uint64, emails []string) bool {
	if owner != 0 {
		return d.CustomerID == owner
	}
	if d.CustomerID != 0 && d.Email == "" {
		return false
	}
	if d.Email == "" {
		return true
	}
	for _, e := range emails {
		if shopify.ComparableEmail(e) == shopify.ComparableEmail(d.Email) {
			return true
		}
	}
	return false
}

// lookup looks each of the contact's emails up in the store (each its own
// cache entry): those the cache holds straight away, the others all at
// once, within the store's one deadline.
func (s *Sidebar) lookup(ctx context.Context, store domain.Store, emails []string) []present.Result {
	results := make([]present.Result, len(emails))
	// Answers already in memory need no deadline: its timer and context
	// cost a cached section about 2.5 µs of CPU under load. The rest are
	// looked up below.
	var missing []int
	cached, _ := s.Lookup.(cachedCustomers)
	for i, email := range emails {
		results[i].Email = email
		if cached != nil {
			if answer, ok := cached.CachedCustomer(store, email); ok {
				results[i].Answer = answer
				continue
			}
		}
		missing = append(missing, i)
	}
	if len(missing) == 0 {
		return results
	}
	ctx, cancel := context.WithTimeout(ctx, s.StoreTimeout)
	defer cancel()
	if len(missing) == 1 {
		r := &results[missing[0]]
		r.Answer, r.Err = s.Lookup.LookupCustomer(ctx, store, r.Email)
		return results
	}
	// The misses among these lookups share one request to Shopify.
	misses := make([]string, len(missing))
	for j, i := range missing {
		misses[j] = emails[i]
	}
	ctx, done := shopify.WithContactEmails(ctx, misses)
	var wg sync.WaitGroup
	for _, i := range missing {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := &results[i]
			r.Answer, r.Err = s.Lookup.LookupCustomer(ctx, store, r.Email)
			done(r.Email)
		}()
	}
	wg.Wait()
	return results
}

// cachedCustomers is a CustomerLookup that can answer from memory alone,
// as the cache does.
type cachedCustomers interface {
	CachedCustomer(store domain.Store, email string) (*domain.CustomerOrders, bool)
}

// themeOf reads the theme the embedding inbox asked for.
func themeOf(c echo.Context) views.Theme {
	return parseTheme(c.QueryParam("theme"))
}

// parseTheme reads a theme's name; anything else follows the system.
func parseTheme(s string) views.Theme {
	switch views.Theme(s) {
	case views.ThemeDark:
		return views.ThemeDark
	case views.ThemeLight:
		return views.ThemeLight
	}
	return views.ThemeSystem
}

// acceptsGzip reports whether the client takes gzip, by the same test as
// Echo's gzip middleware, which serves every other route.
func acceptsGzip(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get(echo.HeaderAcceptEncoding), "gzip")
}

var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// renderBytes renders a component into a new byte slice.
func renderBytes(ctx context.Context, comp templ.Component) ([]byte, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer renderBuffers.Put(buf)
	buf.Reset()
	if err := comp.Render(ctx, buf); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// writeSection sends a section's bytes, gzip-compressed or not, with what
// the gzip middleware would have said about them.
func writeSection(c echo.Context, b []byte, gzipped bool) error {
	h := c.Response().Header()
	setHeader(h, headerContentType, textHTML)
	if gzipped {
		setHeader(h, headerContentEncode, gzipEncoding)
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(b)))
	c.Response().WriteHeader(http.StatusOK)
	_, err := c.Response().Write(b)
	return err
}

// fragmentWorkspace verifies a fragment request's token, from its header,
// and finds the workspace it names.
func (s *Sidebar) fragmentWorkspace(c echo.Context) (embedtoken.Claims, domain.Workspace, error) {
	ctx := c.Request().Context()
	claims, err := s.Tokens.Verify(ctx, c.Request().Header.Get(TokenHeader))
	if err != nil {
		return embedtoken.Claims{}, domain.Workspace{}, err
	}
	ws, err := s.Workspaces.WorkspaceByName(ctx, claims.Workspace)
	if err != nil {
		return embedtoken.Claims{}, domain.Workspace{}, err
	}
	return claims, ws, nil
}

// fragmentStore is fragmentWorkspace and then the store the request's
// path names, only within that workspace.
func (s *Sidebar) fragmentStore(c echo.Context) (embedtoken.Claims, domain.Store, error) {
	claims, ws, err := s.fragmentWorkspace(c)
	if err != nil {
		return embedtoken.Claims{}, domain.Store{}, err
	}
	storeID, err := strconv.ParseInt(c.Param("store"), 10, 64)
	if err != nil {
		return embedtoken.Claims{}, domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace.")
	}
	store, err := s.Stores.StoreByID(c.Request().Context(), ws.ID, storeID)
	if err != nil {
		if domain.KindOf(err) == domain.KindNotFound {
			return embedtoken.Claims{}, domain.Store{}, domain.Errorf(domain.KindNotFound, "This store is not connected to your workspace any more. Reopen the conversation.")
		}
		return embedtoken.Claims{}, domain.Store{}, err
	}
	return claims, store, nil
}
