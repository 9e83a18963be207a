package aiapi

import (
	"encoding/json"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"

	"shopcard/ai"
)

// OpenAPI serves GET /api/v1/openapi.json: the JSON API described for
// tools that generate clients, from the same schemas the tools validate
// with, so the document cannot drift from the API. It lists every tool; a
// workspace's switches and its stores' scopes decide which ones a key can
// call (GET /api/v1/tools).
type OpenAPI struct {
	// ServerURL is where the API is reached (SHOPCARD_PUBLIC_URL); empty
	// means the document's own origin.
	ServerURL string

	once sync.Once
	doc  []byte
	err  error
}

// Serve answers with the document, built once.
func (o *OpenAPI) Serve(c echo.Context) error {
	o.once.Do(func() { o.doc, o.err = json.MarshalIndent(Document(o.ServerURL), "", "  ") })
	if o.err != nil {
		return o.err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, o.doc)
}

// Document builds the OpenAPI 3.1 document of the JSON API.
func Document(serverURL string) map[string]any {
	if serverURL == "" {
		serverURL = "/"
	}
	errorRef := map[string]any{"$ref": "#/components/schemas/Error"}
	errorResponse := func(description string) map[string]any {
		return map[string]any{"description": description, "content": map[string]any{"application/json": map[string]any{"schema": errorRef}}}
	}
	paths := map[string]any{
		"/api/v1/tools": map[string]any{
			"get": map[string]any{
				"operationId": "list_tools",
				"summary":     "The tools this key's workspace can use now",
				"description": "The same list MCP's tools/list gives: tools switched off for the workspace, and tools waiting for a store to grant their scope, are left out.",
				"responses": map[string]any{
					"200": map[string]any{"description": "The tools.", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
						"type": "object", "required": []string{"tools"},
						"properties": map[string]any{"tools": map[string]any{"type": "array", "items": map[string]any{"type": "object"}}},
					}}}},
					"401": errorResponse("The key is missing, unknown or revoked."),
				},
			},
		},
	}
	for _, t := range ai.Tools() {
		paths["/api/v1/tools/"+t.Name] = map[string]any{
			"post": map[string]any{
				"operationId": t.Name,
				"summary":     t.Title,
				"description": t.Description,
				"requestBody": map[string]any{
					"required": true,
					"content":  map[string]any{"application/json": map[string]any{"schema": t.InputSchema}},
				},
				"responses": map[string]any{
					"200": map[string]any{
						"description": "The answer: a concise text for the model, and the structured result.",
						"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{
							"type": "object", "required": []string{"tool", "text", "result"},
							"properties": map[string]any{
								"tool":   map[string]any{"type": "string"},
								"text":   map[string]any{"type": "string", "description": "a concise answer for the model"},
								"result": t.OutputSchema,
							},
						}}},
					},
					"400": errorResponse("invalid_arguments: the arguments do not match the schema."),
					"401": errorResponse("The key is missing, unknown or revoked."),
					"403": errorResponse("tool_disabled: the tool is switched off for the workspace; missing_scope: no store (or not the store named) granted the scope it needs."),
					"404": errorResponse("unknown_tool, unknown_store, or not_verified: get_order_details found no order with this number placed with this email (it does not say whether the order exists)."),
					"409": errorResponse("no_stores: no store is connected to the workspace."),
					"413": errorResponse("The body is larger than any tool's arguments."),
					"502": errorResponse("unavailable: no store answered."),
				},
			},
		}
	}
	return map[string]any{
		"openapi": "3.1.0",
		"info": map[string]any{
			"title":       "shopcard AI actions",
			"version":     "1",
			"description": "The JSON mirror of shopcard's MCP server (POST /mcp): the same tools, arguments, key, results and errors.",
		},
		"servers":  []any{map[string]any{"url": serverURL}},
		"security": []any{map[string]any{"apiKey": []string{}}},
		"paths":    paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"apiKey": map[string]any{
					"type": "http", "scheme": "bearer",
					"description": "A workspace's API key (sck_…), from `shopcard api-key create` or the admin console's AI actions page.",
				},
			},
			"schemas": map[string]any{
				"Error": map[string]any{
					"type": "object", "required": []string{"error"},
					"properties": map[string]any{"error": map[string]any{
						"type": "object", "required": []string{"code", "message"},
						"properties": map[string]any{
							"code":    map[string]any{"type": "string"},
							"message": map[string]any{"type": "string", "description": "what happened and what to do, safe to show"},
						},
					}},
				},
			},
		},
	}
}
