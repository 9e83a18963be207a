package aiapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"shopcard/ai"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestMCP drives the MCP server over real HTTP with the official SDK's
// client, as an agent would: a workspace's key, every tool, the guard,
// the switches, another workspace, a revoked key.
func TestMCP(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	key, _ := env.APIKey(t, env.WS, "support agent")
	s := connect(t, env, key)
	ctx := context.Background()
	acme, nordic, sakura := fakeshopify.AcmeDomain, fakeshopify.NordicDomain, fakeshopify.SakuraDomain

	t.Run("initialize", func(t *testing.T) {
		init := s.InitializeResult()
		if init.ServerInfo.Name != "shopcard" || init.Capabilities.Tools == nil || !strings.Contains(init.Instructions, "get_order_details") {
			t.Errorf("initialize: %+v", init)
		}
		if v := init.ProtocolVersion; v < "2025-06-18" {
			t.Errorf("protocol %s, want 2025-06-18 or later", v)
		}
	})

	t.Run("tools/list", func(t *testing.T) {
		res, err := s.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tl := range res.Tools {
			names = append(names, tl.Name)
			if tl.InputSchema == nil || tl.OutputSchema == nil || tl.Description == "" {
				t.Errorf("%s lacks a schema or a description", tl.Name)
			}
			if tl.Annotations == nil || !tl.Annotations.ReadOnlyHint {
				t.Errorf("%s is not marked read-only", tl.Name)
			}
		}
		// The SDK lists tools by name.
		if want := []string{ai.FindCustomer, ai.GetOrderDetails, ai.GetShopDetails, ai.SearchProducts}; !slices.Equal(names, want) {
			t.Errorf("tools %v, want %v", names, want)
		}
	})

	t.Run("get_order_details with the order's email", func(t *testing.T) {
		for _, number := range []string{fakeshopify.OrderGiftForMaya, strings.TrimPrefix(fakeshopify.OrderGiftForMaya, "#"), " " + fakeshopify.OrderGiftForMaya + " "} {
			res := call(t, s, ai.GetOrderDetails, map[string]any{"order_number": number, "customer_email": " Alex.Chen@Work.example "})
			if res.IsError {
				t.Fatalf("%q: %s", number, text(t, res))
			}
			if got := storeOutcomes(t, res); got[acme] != "found" || got[nordic] != "no_match" || got[sakura] != "no_match" {
				t.Errorf("%q: outcomes %v", number, got)
			}
			var r ai.OrderDetailsResult
			structured(t, res, &r)
			o := r.Stores[0].Orders[0]
			if r.Stores[0].Store != acme || o.Name != fakeshopify.OrderGiftForMaya || o.ShippingAddress == nil || o.ShippingAddress.Name != "Maya Chen" ||
				len(o.Shipments) != 1 || o.Shipments[0].Status != "Delayed" || o.Shipments[0].Tracking[0].Company != "UPS" || o.Shipments[0].InTransitAt == "" ||
				len(o.Items) != 2 || o.FinancialStatus != "Paid" {
				t.Errorf("%q: order %+v", number, o)
			}
			txt := text(t, res)
			for _, want := range []string{"Order " + fakeshopify.OrderGiftForMaya + " at Acme Outfitters (" + acme + ")", "delayed", "UPS", "Ships to: Maya Chen", "No matching order in Nordic Goods"} {
				if !strings.Contains(txt, want) {
					t.Errorf("%q: text lacks %q:\n%s", number, want, txt)
				}
			}
		}
	})

	t.Run("the guard refuses another email and reveals nothing", func(t *testing.T) {
		wrong := call(t, s, ai.GetOrderDetails, map[string]any{"order_number": fakeshopify.OrderGiftForMaya, "customer_email": fakeshopify.EmailShowcase})
		missing := call(t, s, ai.GetOrderDetails, map[string]any{"order_number": "#999999", "customer_email": fakeshopify.EmailShowcase})
		if !wrong.IsError || !missing.IsError || wrong.StructuredContent != nil {
			t.Fatalf("refusals: %v %v %v", wrong.IsError, missing.IsError, wrong.StructuredContent)
		}
		w, m := text(t, wrong), text(t, missing)
		if strings.ReplaceAll(w, fakeshopify.OrderGiftForMaya, "#N") != strings.ReplaceAll(m, "#999999", "#N") {
			t.Errorf("a wrong email and a missing order read differently:\n%s\n%s", w, m)
		}
		if !strings.Contains(w, "email") || !strings.Contains(w, ai.CodeNotVerified) {
			t.Errorf("the refusal does not say the email does not match: %s", w)
		}
		for _, secret := range []string{"Valencia", "UPS", "1Z999", "Vest", "Bottle", "Maya", "alex", "Acme Outfitters", "delayed", "Paid"} {
			if strings.Contains(strings.ToLower(w), strings.ToLower(secret)) {
				t.Errorf("the refusal reveals %q: %s", secret, w)
			}
		}
	})

	t.Run("search syntax in order_number cannot widen the search", func(t *testing.T) {
		for _, number := range []string{
			`1077" OR name:"1001`, `1077 OR 1001`, "10*", "*", "(1077)", `-1077`, `1077\`, `NG-1012' OR name:'1077`,
		} {
			res := call(t, s, ai.GetOrderDetails, map[string]any{"order_number": number, "customer_email": fakeshopify.EmailGiftGiver})
			if !res.IsError || !strings.Contains(text(t, res), ai.CodeNotVerified) {
				t.Errorf("%q: %s", number, text(t, res))
			}
		}
	})

	t.Run("search_products", func(t *testing.T) {
		res := call(t, s, ai.SearchProducts, map[string]any{"query": "Waterproof jacket"})
		if res.IsError {
			t.Fatal(text(t, res))
		}
		if got := storeOutcomes(t, res); got[acme] != "found" || got[sakura] != "no_match" || got[nordic] != "not_granted" {
			t.Errorf("outcomes %v", got)
		}
		var r ai.ProductSearchResult
		structured(t, res, &r)
		p := r.Stores[0].Products[0]
		if p.Title != "Trailhead Waterproof Jacket" || p.Price != "189.00 USD" || !p.Available || !strings.HasPrefix(p.URL, "https://acme-outfitters.example/products/") {
			t.Errorf("product %+v", p)
		}
		if len(r.Stores[0].Products) != 1 {
			t.Errorf("the draft and the archived jacket were found too: %d products", len(r.Stores[0].Products))
		}
		if txt := text(t, res); !strings.Contains(txt, "Acme Outfitters ("+acme+")") || !strings.Contains(txt, "read_products") {
			t.Errorf("text:\n%s", txt)
		}
		// limit, and a store named by its handle.
		many := call(t, s, ai.SearchProducts, map[string]any{"query": "acme", "limit": 2, "store": "acme-outfitters"})
		var m ai.ProductSearchResult
		structured(t, many, &m)
		if len(m.Stores) != 1 || len(m.Stores[0].Products) != 2 {
			t.Errorf("limit 2 in one store: %+v", m)
		}
		// Search syntax in the query only narrows it.
		for _, q := range []string{"jacket OR socks", "*", `jacket" OR "socks`, "status:draft"} {
			res := call(t, s, ai.SearchProducts, map[string]any{"query": q, "store": acme})
			if got := storeOutcomes(t, res); got[acme] != "no_match" {
				t.Errorf("%q: %v", q, got)
			}
		}
		// A store without read_products, named: an error naming the scope.
		refused := call(t, s, ai.SearchProducts, map[string]any{"query": "mug", "store": "Nordic Goods"})
		if !refused.IsError || !strings.Contains(text(t, refused), "read_products") || !strings.Contains(text(t, refused), ai.CodeMissingScope) {
			t.Errorf("named store without the scope: %s", text(t, refused))
		}
	})

	t.Run("get_shop_details", func(t *testing.T) {
		res := call(t, s, ai.GetShopDetails, nil)
		if res.IsError {
			t.Fatal(text(t, res))
		}
		if got := storeOutcomes(t, res); got[acme] != "found" || got[sakura] != "found" || got[nordic] != "not_granted" {
			t.Errorf("outcomes %v", got)
		}
		var r ai.ShopDetailsResult
		structured(t, res, &r)
		a := r.Stores[0].Shop
		if a.Name != "Acme Outfitters" || a.Currency != "USD" || !slices.Equal(a.ShipsTo, []string{"US", "CA", "MX"}) || !slices.Contains(a.PaymentMethods, "Shop Pay") || len(a.Policies) != 2 {
			t.Errorf("acme %+v", a)
		}
		if txt := text(t, res); !strings.Contains(txt, "Acme Outfitters ("+acme+")") || !strings.Contains(txt, "さくら文具 Sakura Stationery ("+sakura+")") {
			t.Errorf("text:\n%s", txt)
		}
	})

	t.Run("find_customer", func(t *testing.T) {
		res := call(t, s, ai.FindCustomer, map[string]any{"email": fakeshopify.EmailShowcase})
		if res.IsError {
			t.Fatal(text(t, res))
		}
		if got := storeOutcomes(t, res); got[acme] != "found" || got[nordic] != "found" || got[sakura] != "no_match" {
			t.Errorf("outcomes %v", got)
		}
		var r ai.FindCustomerResult
		structured(t, res, &r)
		if c := r.Stores[0].Customer; c == nil || c.Name != "Maya Chen" || len(r.Stores[0].Orders) == 0 || !strings.Contains(c.AdminURL, "/customers/") {
			t.Errorf("acme %+v", r.Stores[0])
		}
		guest := call(t, s, ai.FindCustomer, map[string]any{"email": fakeshopify.EmailShowcaseOther, "store": sakura})
		var g ai.FindCustomerResult
		structured(t, guest, &g)
		if len(g.Stores) != 1 || !g.Stores[0].GuestOrders || g.Stores[0].Outcome != "found" {
			t.Errorf("guest orders %+v", g)
		}
	})

	t.Run("invalid arguments", func(t *testing.T) {
		for _, args := range []map[string]any{
			{"order_number": "#1001"},
			{"order_number": "#1001", "customer_email": "not an email"},
			{"order_number": "#1001", "customer_email": "a@b.co", "extra": true},
			{"order_number": strings.Repeat("1", 65), "customer_email": "a@b.co"},
			{"order_number": "#1001", "customer_email": "a@b.co", "store": "nowhere.myshopify.com"},
		} {
			res := call(t, s, ai.GetOrderDetails, args)
			if !res.IsError {
				t.Errorf("%v accepted", args)
			}
		}
		res := call(t, s, ai.SearchProducts, map[string]any{"query": "x", "limit": 11})
		if !res.IsError || !strings.Contains(text(t, res), ai.CodeInvalidArguments) {
			t.Errorf("limit 11: %s", text(t, res))
		}
	})

	t.Run("a switched-off tool is not listed and is refused", func(t *testing.T) {
		if err := env.App.DB.SetAIToolEnabled(ctx, env.WS.ID, ai.GetShopDetails, false); err != nil {
			t.Fatal(err)
		}
		defer env.App.DB.SetAIToolEnabled(ctx, env.WS.ID, ai.GetShopDetails, true)
		res, err := s.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, tl := range res.Tools {
			if tl.Name == ai.GetShopDetails {
				t.Error("the switched-off tool is listed")
			}
		}
		if len(res.Tools) != 3 {
			t.Errorf("%d tools listed, want 3", len(res.Tools))
		}
		refused := call(t, s, ai.GetShopDetails, nil)
		if !refused.IsError || !strings.Contains(text(t, refused), ai.CodeToolDisabled) {
			t.Errorf("called anyway: %s", text(t, refused))
		}
	})

	t.Run("another workspace's key sees only its own stores", func(t *testing.T) {
		rivalKey, _ := env.APIKey(t, env.Rival, "rival agent")
		r := connect(t, env, rivalKey)
		tools, err := r.ListTools(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, tl := range tools.Tools {
			names = append(names, tl.Name)
		}
		// Its one store, Sakura, was connected without read_products.
		if !slices.Equal(names, []string{ai.FindCustomer, ai.GetOrderDetails}) {
			t.Errorf("rival lists %v", names)
		}
		order := call(t, r, ai.GetOrderDetails, map[string]any{"order_number": fakeshopify.OrderNordicGuest, "customer_email": fakeshopify.EmailNordicGuest})
		if !order.IsError || strings.Contains(text(t, order), "Oslo") {
			t.Errorf("rival reached acme-support's order: %s", text(t, order))
		}
		zoe := call(t, r, ai.FindCustomer, map[string]any{"email": fakeshopify.EmailNonASCII})
		if got := storeOutcomes(t, zoe); len(got) != 1 || got[sakura] != "no_match" {
			t.Errorf("rival's find_customer asked %v", got)
		}
		named := call(t, r, ai.FindCustomer, map[string]any{"email": fakeshopify.EmailNonASCII, "store": nordic})
		if !named.IsError || !strings.Contains(text(t, named), ai.CodeUnknownStore) || strings.Contains(text(t, named), "Zoë") {
			t.Errorf("rival named acme-support's store: %s", text(t, named))
		}
		products := call(t, r, ai.SearchProducts, map[string]any{"query": "pen"})
		if !products.IsError || !strings.Contains(text(t, products), "read_products") {
			t.Errorf("rival searched products: %s", text(t, products))
		}
	})

	t.Run("a revoked key gets 401", func(t *testing.T) {
		k, rec := env.APIKey(t, env.WS, "to revoke")
		connect(t, env, k)
		if _, err := env.App.DB.RevokeAPIKey(ctx, env.WS.ID, rec.ID); err != nil {
			t.Fatal(err)
		}
		status, header, body := post(t, env, "/mcp", k, []byte(initializeRequest), mcpHeaders)
		if status != http.StatusUnauthorized || !strings.HasPrefix(header.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(string(body), "revoked") {
			t.Errorf("revoked key: %d %v %s", status, header, body)
		}
	})

	t.Run("metrics and logs", func(t *testing.T) {
		m := env.Metrics(t)
		for _, want := range []string{
			`shopcard_ai_tool_calls_total{outcome="ok",tool="get_order_details"}`,
			`shopcard_ai_tool_calls_total{outcome="not_verified",tool="get_order_details"}`,
			`shopcard_ai_tool_calls_total{outcome="tool_disabled",tool="get_shop_details"}`,
			`shopcard_ai_tool_calls_total{outcome="missing_scope",tool="search_products"}`,
		} {
			if !strings.Contains(m, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		logs := env.Logs.String()
		if !strings.Contains(logs, `msg="ai tool call" tool=get_order_details outcome=not_verified`) {
			t.Error("tool calls are not logged")
		}
		for _, secret := range []string{key, key[12:], fakeshopify.EmailGiftGiver, fakeshopify.EmailShowcase, "Alex.Chen"} {
			if strings.Contains(logs, secret) {
				t.Errorf("the logs hold %q", secret)
			}
		}
	})
}

// initializeRequest is a raw JSON-RPC initialize at protocol 2025-06-18.
const initializeRequest = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}`

var mcpHeaders = map[string]string{"Accept": "application/json, text/event-stream"}

// TestMCPRawJSONRPC speaks the protocol by hand at 2025-06-18, as a
// client without the SDK does, and checks what an unauthenticated request
// gets.
func TestMCPRawJSONRPC(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	key, rec := env.APIKey(t, env.WS, "raw")

	status, _, body := post(t, env, "/mcp", key, []byte(initializeRequest), mcpHeaders)
	var init struct {
		Result struct {
			ProtocolVersion string `json:"protocolVersion"`
			ServerInfo      struct{ Name string }
		}
	}
	if status != http.StatusOK || json.Unmarshal(body, &init) != nil || init.Result.ProtocolVersion != "2025-06-18" || init.Result.ServerInfo.Name != "shopcard" {
		t.Fatalf("initialize: %d %s", status, body)
	}
	headers := map[string]string{"Accept": "application/json, text/event-stream", "MCP-Protocol-Version": "2025-06-18"}
	status, _, body = post(t, env, "/mcp", key, []byte(`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`), headers)
	if status != http.StatusOK || !strings.Contains(string(body), `"name":"get_order_details"`) {
		t.Fatalf("tools/list: %d %s", status, body)
	}
	call := `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"get_order_details","arguments":{"order_number":"` + fakeshopify.OrderNordicGuest + `","customer_email":"` + fakeshopify.EmailNordicGuest + `"}}}`
	status, _, body = post(t, env, "/mcp", key, []byte(call), headers)
	var res struct {
		Result struct {
			IsError           bool            `json:"isError"`
			StructuredContent json.RawMessage `json:"structuredContent"`
		}
	}
	if status != http.StatusOK || json.Unmarshal(body, &res) != nil || res.Result.IsError || !strings.Contains(string(res.Result.StructuredContent), "Oslo") {
		t.Fatalf("tools/call: %d %s", status, body)
	}
	if got, _ := env.App.DB.APIKeys(context.Background(), env.WS.ID); got[0].ID != rec.ID || got[0].LastUsedAt.IsZero() {
		t.Errorf("last use not recorded: %+v", got)
	}

	for _, tt := range []struct {
		name, auth string
	}{
		{"no header", ""},
		{"not bearer", "Basic " + key},
		{"not a key", "Bearer shpat_something"},
		{"unknown key", "Bearer sck_" + strings.Repeat("A", 43)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{"Accept": "application/json, text/event-stream"}
			if tt.auth != "" {
				h["Authorization"] = tt.auth
			}
			status, header, body := post(t, env, "/mcp", "", []byte(initializeRequest), h)
			if status != http.StatusUnauthorized || header.Get("WWW-Authenticate") == "" || !json.Valid(body) {
				t.Errorf("%d %v %s", status, header, body)
			}
		})
	}
	t.Run("a body too large is refused after authentication", func(t *testing.T) {
		big := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"` + strings.Repeat("a", 100<<10) + `"}}`)
		if status, _, _ := post(t, env, "/mcp", "", big, mcpHeaders); status != http.StatusUnauthorized {
			t.Errorf("without a key: %d", status)
		}
		if status, _, _ := post(t, env, "/mcp", key, big, headers); status != http.StatusRequestEntityTooLarge {
			t.Errorf("with a key: %d", status)
		}
	})
}
