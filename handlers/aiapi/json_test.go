package aiapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"shopcard/ai"
	"shopcard/fakeshopify"
	"shopcard/internal/apptest"
)

// TestJSONMirrorsMCP calls every tool both ways, with the same key and
// arguments, and holds the JSON API to MCP's answers: the same text, the
// same structured result, the same errors.
func TestJSONMirrorsMCP(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	key, _ := env.APIKey(t, env.WS, "mirror")
	s := connect(t, env, key)
	if err := env.App.DB.SetAIToolEnabled(context.Background(), env.WS.ID, ai.FindCustomer, false); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name       string
		tool       string
		args       map[string]any
		wantStatus int
		wantCode   string
	}{
		{"order found", ai.GetOrderDetails, map[string]any{"order_number": fakeshopify.OrderNordicGuest, "customer_email": fakeshopify.EmailNordicGuest}, http.StatusOK, ""},
		{"the guard", ai.GetOrderDetails, map[string]any{"order_number": fakeshopify.OrderNordicGuest, "customer_email": fakeshopify.EmailShowcase}, http.StatusNotFound, ai.CodeNotVerified},
		{"no such order", ai.GetOrderDetails, map[string]any{"order_number": "NG-9999", "customer_email": fakeshopify.EmailShowcase}, http.StatusNotFound, ai.CodeNotVerified},
		{"products", ai.SearchProducts, map[string]any{"query": "notebook", "limit": 3}, http.StatusOK, ""},
		{"products in a store without the scope", ai.SearchProducts, map[string]any{"query": "mug", "store": fakeshopify.NordicDomain}, http.StatusForbidden, ai.CodeMissingScope},
		{"shop", ai.GetShopDetails, map[string]any{"store": "acme-outfitters"}, http.StatusOK, ""},
		{"unknown store", ai.GetShopDetails, map[string]any{"store": "elsewhere"}, http.StatusNotFound, ai.CodeUnknownStore},
		{"switched off", ai.FindCustomer, map[string]any{"email": fakeshopify.EmailShowcase}, http.StatusForbidden, ai.CodeToolDisabled},
		{"bad arguments", ai.GetOrderDetails, map[string]any{"order_number": 1042}, http.StatusBadRequest, ai.CodeInvalidArguments},
		{"unknown tool", "delete_everything", map[string]any{}, http.StatusNotFound, ai.CodeUnknownTool},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			viaMCP, err := s.CallTool(context.Background(), mcpParams(tt.tool, tt.args))
			if tt.tool == "delete_everything" {
				// MCP refuses an unknown tool as a protocol error.
				if err == nil && !viaMCP.IsError {
					t.Fatal("MCP called an unknown tool")
				}
			} else if err != nil {
				t.Fatal(err)
			}
			body, _ := json.Marshal(tt.args)
			status, _, raw := post(t, env, "/api/v1/tools/"+tt.tool, key, body, nil)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", status, tt.wantStatus, raw)
			}
			if tt.wantCode != "" {
				var e struct {
					Error struct{ Code, Message string }
				}
				if err := json.Unmarshal(raw, &e); err != nil || e.Error.Code != tt.wantCode {
					t.Fatalf("error %s, want %s", raw, tt.wantCode)
				}
				if viaMCP != nil && tt.tool != "delete_everything" {
					if !viaMCP.IsError || text(t, viaMCP) != e.Error.Message+" ("+e.Error.Code+")" {
						t.Errorf("MCP said %q, JSON %q", text(t, viaMCP), e.Error.Message)
					}
				}
				return
			}
			var got struct {
				Tool   string          `json:"tool"`
				Text   string          `json:"text"`
				Result json.RawMessage `json:"result"`
			}
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal(viaMCP.StructuredContent)
			if got.Tool != tt.tool || got.Text != text(t, viaMCP) || !jsonEqual(t, got.Result, want) {
				t.Errorf("JSON %s\nMCP %s\n%q", got.Result, want, got.Text)
			}
		})
	}

	t.Run("the tools the key can use", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, env.URL+"/api/v1/tools", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := env.Srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var list struct{ Tools []struct{ Name string } }
		json.NewDecoder(resp.Body).Decode(&list)
		var names []string
		for _, tl := range list.Tools {
			names = append(names, tl.Name)
		}
		if strings.Join(names, ",") != "get_order_details,search_products,get_shop_details" {
			t.Errorf("tools %v", names)
		}
	})
	t.Run("401 without a key, JSON like every error", func(t *testing.T) {
		status, header, raw := post(t, env, "/api/v1/tools/"+ai.GetShopDetails, "", []byte(`{}`), nil)
		if status != http.StatusUnauthorized || header.Get("WWW-Authenticate") == "" || !strings.Contains(string(raw), `"code":"unauthorized"`) {
			t.Errorf("%d %s", status, raw)
		}
		status, _, raw = post(t, env, "/api/v1/nothing-here", key, nil, nil)
		if status != http.StatusNotFound || !json.Valid(raw) {
			t.Errorf("unknown API path: %d %s", status, raw)
		}
	})
	t.Run("bodies are bounded", func(t *testing.T) {
		big := []byte(`{"query":"` + strings.Repeat("a", 70<<10) + `"}`)
		if status, _, raw := post(t, env, "/api/v1/tools/"+ai.SearchProducts, key, big, nil); status != http.StatusRequestEntityTooLarge {
			t.Errorf("%d %s", status, raw)
		}
		if status, _, raw := post(t, env, "/api/v1/tools/"+ai.SearchProducts, key, []byte(`{"query":`), nil); status != http.StatusBadRequest {
			t.Errorf("broken JSON: %d %s", status, raw)
		}
	})
}

// TestOpenAPI: the document describes every tool with the schemas the
// tools validate with, and needs no key.
func TestOpenAPI(t *testing.T) {
	t.Parallel()
	env := apptest.Start(t, apptest.Options{Layout: apptest.AILayout})
	resp, body := env.Get(t, "/api/v1/openapi.json", "")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string `json:"openapi"`
		Servers []struct{ URL string }
		Paths   map[string]struct {
			Post *struct {
				OperationID string `json:"operationId"`
				RequestBody struct {
					Content map[string]struct {
						Schema struct {
							Required   []string       `json:"required"`
							Properties map[string]any `json:"properties"`
						}
					}
				} `json:"requestBody"`
				Responses map[string]any `json:"responses"`
			}
		}
		Components struct {
			SecuritySchemes map[string]struct{ Type, Scheme string } `json:"securitySchemes"`
		}
	}
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Servers[0].URL != env.URL || doc.Components.SecuritySchemes["apiKey"].Scheme != "bearer" {
		t.Errorf("document %+v", doc)
	}
	for _, tool := range ai.Tools() {
		p := doc.Paths["/api/v1/tools/"+tool.Name].Post
		if p == nil || p.OperationID != tool.Name {
			t.Errorf("no operation for %s", tool.Name)
			continue
		}
		schema := p.RequestBody.Content["application/json"].Schema
		if strings.Join(schema.Required, ",") != strings.Join(tool.InputSchema.Required, ",") || len(schema.Properties) != len(tool.InputSchema.Properties) {
			t.Errorf("%s: request schema %+v", tool.Name, schema)
		}
		for _, status := range []string{"200", "400", "401", "404"} {
			if p.Responses[status] == nil {
				t.Errorf("%s: no %s response", tool.Name, status)
			}
		}
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}
