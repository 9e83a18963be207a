package ai

import (
	"context"
	"encoding/json"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"shopcard/domain"
	"shopcard/shopify"
)

// The codes a tool call can fail with. Both front ends say them: MCP in a
// tool error's text, the JSON API in its error body (and status).
const (
	CodeInvalidArguments = "invalid_arguments"
	CodeUnknownTool      = "unknown_tool"
	CodeToolDisabled     = "tool_disabled"
	CodeMissingScope     = "missing_scope"
	CodeUnknownStore     = "unknown_store"
	CodeNoStores         = "no_stores"
	// CodeNotVerified is get_order_details' guard: no order with this
	// number and this email, which says nothing about whether the order
	// exists.
	CodeNotVerified = "not_verified"
	// CodeUnavailable means no store answered.
	CodeUnavailable = "unavailable"
)

// ToolError is a tool call that failed in a way the model should read: a
// safe message saying what happened and what to do, and a code.
type ToolError struct {
	Code    string
	Message string
}

func (e *ToolError) Error() string { return e.Code + ": " + e.Message }

// Result is what a tool call answers: a concise text for the model and,
// unless the call failed (Err), structured data following the tool's
// output schema.
type Result struct {
	Text       string
	Structured any
	Err        *ToolError
}

func failed(code, message string) Result {
	return Result{Text: message, Err: &ToolError{Code: code, Message: message}}
}

// Caller is who calls a tool: a workspace, through one of its API keys.
type Caller struct {
	WorkspaceID int64
	KeyID       int64
}

// Stores lists a workspace's store connections.
type Stores interface {
	StoresByWorkspace(ctx context.Context, workspaceID int64) ([]domain.Store, error)
}

// Switches reads the tools a workspace switched on or off; a tool that is
// absent is on.
type Switches interface {
	AIToolSettings(ctx context.Context, workspaceID int64) (map[string]bool, error)
}

// Lookups asks the stores, through the sidebar's lookup chain (the cache
// decorates the Shopify client).
type Lookups interface {
	LookupCustomer(ctx context.Context, store domain.Store, email string) (*domain.CustomerOrders, error)
	FindOrders(ctx context.Context, store domain.Store, name string) (*domain.OrderMatches, error)
	SearchProducts(ctx context.Context, store domain.Store, keywords string) (*domain.ProductResults, error)
	ShopDetails(ctx context.Context, store domain.Store) (*domain.ShopDetails, error)
}

// Recorder counts tool calls by tool and outcome, for metrics.
type Recorder interface {
	AIToolCall(tool, outcome string)
}

// Service runs the tools for the workspace of each call.
type Service struct {
	Stores   Stores
	Switches Switches
	Lookups  Lookups
	// StoreTimeout bounds how long one store may take to answer, as for a
	// sidebar section; stores are asked at the same time.
	StoreTimeout time.Duration
	Recorder     Recorder
	Logger       *slog.Logger
	Now          func() time.Time
}

// Status is a tool's state in a workspace.
type Status struct {
	Tool Tool
	// Enabled is the workspace's switch.
	Enabled bool
	// Available means an agent can call the tool now: it is enabled and,
	// when it needs a scope, some store grants it. Only available tools
	// are listed to agents.
	Available bool
	// Reason says why an enabled tool is not available.
	Reason string
	// Granting and Missing are the stores that grant the tool's scope and
	// those that don't; both empty for tools that need no scope.
	Granting []domain.Store
	Missing  []domain.Store
}

// Statuses says, tool by tool, whether the workspace's agents can use it.
func (s *Service) Statuses(ctx context.Context, workspaceID int64) ([]Status, error) {
	settings, err := s.Switches.AIToolSettings(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	stores, err := s.Stores.StoresByWorkspace(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(tools))
	for _, t := range tools {
		st := Status{Tool: t, Enabled: true}
		if on, set := settings[t.Name]; set {
			st.Enabled = on
		}
		if t.Scope != "" {
			for _, store := range stores {
				if shopify.HasScope(store.Scopes, t.Scope) {
					st.Granting = append(st.Granting, store)
				} else {
					st.Missing = append(st.Missing, store)
				}
			}
		}
		switch {
		case !st.Enabled:
			st.Reason = "Switched off for this workspace."
		case t.Scope != "" && len(st.Granting) == 0:
			st.Reason = "Off until a store grants " + t.Scope + "."
		default:
			st.Available = true
		}
		out = append(out, st)
	}
	return out, nil
}

// Available lists the tools the workspace's agents can call now.
func (s *Service) Available(ctx context.Context, workspaceID int64) ([]Tool, error) {
	statuses, err := s.Statuses(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	var out []Tool
	for _, st := range statuses {
		if st.Available {
			out = append(out, st.Tool)
		}
	}
	return out, nil
}

// Call runs one tool for the caller's workspace. A failure the model
// should read comes back as a Result with Err set; the error return is
// for failures of shopcard itself (the database), which the front ends
// answer as internal errors.
func (s *Service) Call(ctx context.Context, caller Caller, name string, raw json.RawMessage) (Result, error) {
	start := time.Now()
	res, stores, err := s.call(ctx, caller, name, raw)
	outcome := "ok"
	switch {
	case err != nil:
		outcome = "internal"
	case res.Err != nil:
		outcome = res.Err.Code
	}
	label := name
	if !IsTool(name) {
		label = "unknown"
	}
	if s.Recorder != nil {
		s.Recorder.AIToolCall(label, outcome)
	}
	// The log names the call, never its arguments: they hold customers'
	// emails and what they bought.
	attrs := []slog.Attr{
		slog.String("tool", label), slog.String("outcome", outcome), slog.Int64("workspace_id", caller.WorkspaceID),
		slog.Int64("api_key_id", caller.KeyID), slog.Int("stores", stores), slog.Duration("elapsed", time.Since(start)),
	}
	level := slog.LevelInfo
	if err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.Logger.LogAttrs(ctx, level, "ai tool call", attrs...)
	return res, err
}

func (s *Service) call(ctx context.Context, caller Caller, name string, raw json.RawMessage) (Result, int, error) {
	t, ok := ToolByName(name)
	if !ok {
		return failed(CodeUnknownTool, "There is no tool named "+quoteName(name)+". The tools are "+strings.Join(toolNames(), ", ")+"."), 0, nil
	}
	settings, err := s.Switches.AIToolSettings(ctx, caller.WorkspaceID)
	if err != nil {
		return Result{}, 0, err
	}
	if on, set := settings[name]; set && !on {
		return failed(CodeToolDisabled, "The "+name+" action is switched off for this workspace. An admin can switch it on in shopcard's admin console, under AI actions."), 0, nil
	}
	all, err := s.Stores.StoresByWorkspace(ctx, caller.WorkspaceID)
	if err != nil {
		return Result{}, 0, err
	}
	var res Result
	var asked int
	switch name {
	case GetOrderDetails:
		var args OrderDetailsArgs
		if e := t.decodeArgs(raw, &args); e != nil {
			return Result{Text: e.Message, Err: e}, 0, nil
		}
		res, asked = s.orderDetails(ctx, all, args)
	case SearchProducts:
		var args SearchProductsArgs
		if e := t.decodeArgs(raw, &args); e != nil {
			return Result{Text: e.Message, Err: e}, 0, nil
		}
		res, asked = s.searchProducts(ctx, all, args)
	case GetShopDetails:
		var args ShopDetailsArgs
		if e := t.decodeArgs(raw, &args); e != nil {
			return Result{Text: e.Message, Err: e}, 0, nil
		}
		res, asked = s.shopDetails(ctx, all, args)
	case FindCustomer:
		var args FindCustomerArgs
		if e := t.decodeArgs(raw, &args); e != nil {
			return Result{Text: e.Message, Err: e}, 0, nil
		}
		res, asked = s.findCustomer(ctx, all, args)
	}
	return res, asked, nil
}

func toolNames() []string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name
	}
	return names
}

// quoteName quotes a name an agent sent, cut short: it goes back into the
// model's context.
func quoteName(s string) string {
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return `"` + s + `"`
}

// pickStores narrows the workspace's stores to the one an argument names,
// by its domain, its handle or its name, ignoring case.
func pickStores(all []domain.Store, which string) ([]domain.Store, *ToolError) {
	if len(all) == 0 {
		return nil, &ToolError{Code: CodeNoStores, Message: "No Shopify store is connected to this workspace yet; an admin connects them in shopcard."}
	}
	which = strings.TrimSpace(which)
	if which == "" {
		return all, nil
	}
	for _, st := range all {
		if strings.EqualFold(which, st.Domain) || strings.EqualFold(which, st.Handle()) || (st.ShopName != "" && strings.EqualFold(which, st.ShopName)) {
			return []domain.Store{st}, nil
		}
	}
	var known []string
	for _, st := range all {
		known = append(known, st.Domain)
	}
	return nil, &ToolError{Code: CodeUnknownStore, Message: "No store " + quoteName(which) + " is connected to this workspace. The connected stores are " + strings.Join(known, ", ") + "."}
}

// withScope splits stores into those that grant scope and those that
// don't. A store argument that names a store without it is refused,
// naming the scope, as is a call when no store grants it.
func withScope(stores []domain.Store, scope, tool string, named bool) (granting, missing []domain.Store, e *ToolError) {
	for _, st := range stores {
		if shopify.HasScope(st.Scopes, scope) {
			granting = append(granting, st)
		} else {
			missing = append(missing, st)
		}
	}
	if len(granting) == 0 {
		what := "No connected store has"
		if named {
			what = storeName(stores[0]) + " has not"
		}
		return nil, nil, &ToolError{Code: CodeMissingScope, Message: what + " granted shopcard the " + scope + " scope, which " + tool +
			" needs. An admin can reconnect the store with it in shopcard's admin console."}
	}
	return granting, missing, nil
}

// storeName is how a store is named in texts: its name and domain.
func storeName(st domain.Store) string {
	if st.ShopName != "" && st.ShopName != st.Domain {
		return st.ShopName + " (" + st.Domain + ")"
	}
	return st.Domain
}

func answerOf(st domain.Store, outcome string) StoreAnswer {
	name := st.ShopName
	if name == "" {
		name = st.Domain
	}
	return StoreAnswer{Store: st.Domain, StoreName: name, Outcome: outcome}
}

func notGranted(st domain.Store, scope string) StoreAnswer {
	a := answerOf(st, OutcomeNotGranted)
	a.Message = "This store has not granted shopcard the " + scope + " scope."
	return a
}

// unavailable is a store whose lookup failed, in words an agent can pass
// on: the detail is for admins and logs.
func unavailable(st domain.Store, err error) StoreAnswer {
	a := answerOf(st, OutcomeUnavailable)
	switch kind := domain.KindOf(err); {
	case kind.NeedsAdmin():
		a.Message = "This store's connection needs attention from an admin."
	case kind == domain.KindShopifyTimeout:
		a.Message = "Shopify took too long to answer for this store."
	case kind == domain.KindShopifyThrottled:
		a.Message = "Shopify is busy for this store; try again in a moment."
	case kind == domain.KindShopifyUnavailable:
		a.Message = "Shopify didn't answer for this store."
	default:
		a.Message = "Something went wrong looking this store up."
	}
	return a
}

// stale marks an answer that is the last good one.
func stale(a *StoreAnswer, isStale bool, fetched time.Time) {
	if isStale {
		a.Stale, a.AsOf = true, timestamp(fetched)
	}
}

// answer is one store's reply to one lookup.
type answer[T any] struct {
	store domain.Store
	value T
	err   error
}

// inEachStore asks every store at once, each within the store deadline,
// and returns their replies in the stores' order.
func inEachStore[T any](ctx context.Context, timeout time.Duration, stores []domain.Store, ask func(context.Context, domain.Store) (T, error)) []answer[T] {
	out := make([]answer[T], len(stores))
	var wg sync.WaitGroup
	for i, st := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			v, err := ask(ctx, st)
			out[i] = answer[T]{store: st, value: v, err: err}
		}()
	}
	wg.Wait()
	return out
}

// allFailed reports whether no store answered at all.
func allFailed[T any](answers []answer[T]) bool {
	return len(answers) > 0 && !slices.ContainsFunc(answers, func(a answer[T]) bool { return a.err == nil })
}

// noAnswer is the error for a call no store answered.
func noAnswer(stores []StoreAnswer) Result {
	var parts []string
	for _, a := range stores {
		parts = append(parts, a.StoreName+": "+a.Message)
	}
	return failed(CodeUnavailable, "No store answered. "+strings.Join(parts, " ")+" Try again in a moment.")
}

func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}
