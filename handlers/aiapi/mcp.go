package aiapi

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"shopcard/ai"
)

// MaxBodyBytes bounds a request to the MCP server or the JSON API: tool
// arguments are a few hundred bytes, so anything near this is not one.
const MaxBodyBytes = 64 << 10

// instructions is what an MCP client tells the model about the server.
const instructions = "shopcard answers questions about the Shopify stores connected to your support workspace. " +
	"Every answer says which store it came from; when several stores are connected, each store answers for itself. " +
	"get_order_details shares an order only when you give the email address it was placed with (or its customer's): " +
	"never guess an email, ask the customer. find_customer is for a contact whose email is already verified."

// MCP is the MCP server: Streamable HTTP, stateless (every POST stands
// alone, so any instance of shopcard can answer it), JSON responses.
// Each request gets a server of its own holding exactly the tools the
// caller's workspace can use, so tools/list never shows a tool that is
// switched off or waiting for a scope.
type MCP struct {
	Tools   Tools
	Version string
	Logger  *slog.Logger
	handler http.Handler
}

type serverKey struct{}

// Handler serves the MCP endpoint; Authenticate must run first.
func (m *MCP) Handler() echo.HandlerFunc {
	m.handler = mcp.NewStreamableHTTPHandler(func(r *http.Request) *mcp.Server {
		s, _ := r.Context().Value(serverKey{}).(*mcp.Server)
		return s
	}, &mcp.StreamableHTTPOptions{
		Stateless:           true,
		JSONResponse:        true,
		MaxRequestBodyBytes: MaxBodyBytes,
		// The SDK refuses loopback connections whose Host is not loopback,
		// against DNS rebinding of a local server without credentials.
		// shopcard is reached through a reverse proxy on loopback as often
		// as not, and every request must carry a workspace's API key,
		// which a rebinding page cannot know.
		DisableLocalhostProtection: true,
		Logger:                     m.Logger,
	})
	return func(c echo.Context) error {
		caller, ok := CallerOf(c.Request().Context())
		if !ok {
			return errNoCaller
		}
		server, err := m.server(c.Request().Context(), caller)
		if err != nil {
			return err
		}
		ctx := context.WithValue(c.Request().Context(), serverKey{}, server)
		m.handler.ServeHTTP(c.Response(), c.Request().WithContext(ctx))
		return nil
	}
}

// server builds the caller's MCP server: the tools its workspace can use
// now, each calling the shared implementation.
func (m *MCP) server(ctx context.Context, caller ai.Caller) (*mcp.Server, error) {
	available, err := m.Tools.Available(ctx, caller.WorkspaceID)
	if err != nil {
		return nil, err
	}
	s := mcp.NewServer(&mcp.Implementation{Name: "shopcard", Title: "shopcard: Shopify for support", Version: m.Version},
		&mcp.ServerOptions{Instructions: instructions, Logger: m.Logger})
	listed := map[string]bool{}
	for _, t := range available {
		listed[t.Name] = true
		s.AddTool(&mcp.Tool{
			Name: t.Name, Title: t.Title, Description: t.Description,
			InputSchema: t.InputSchema, OutputSchema: t.OutputSchema,
			Annotations: &mcp.ToolAnnotations{Title: t.Title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: new(false)},
		}, m.call(caller))
	}
	// A tool that is not listed (switched off, or no store granted its
	// scope) is refused with the tool's own reason, as a tool error the
	// model can read, rather than as an unknown tool.
	s.AddReceivingMiddleware(func(next mcp.MethodHandler) mcp.MethodHandler {
		return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
			if call, ok := req.(*mcp.CallToolRequest); ok && method == "tools/call" && ai.IsTool(call.Params.Name) && !listed[call.Params.Name] {
				return m.call(caller)(ctx, call)
			}
			return next(ctx, method, req)
		}
	})
	return s, nil
}

// call is the handler of every tool: the shared implementation, its
// answer as MCP content.
func (m *MCP) call(caller ai.Caller) mcp.ToolHandler {
	return func(ctx context.Context, req *mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		res, err := m.Tools.Call(ctx, caller, req.Params.Name, req.Params.Arguments)
		if err != nil {
			// Logged by the tools; the model learns only that it failed.
			return &mcp.CallToolResult{IsError: true, Content: []mcp.Content{&mcp.TextContent{Text: internalMessage}}}, nil
		}
		out := &mcp.CallToolResult{Content: []mcp.Content{&mcp.TextContent{Text: res.Text}}}
		if res.Err != nil {
			out.IsError = true
			out.Content = []mcp.Content{&mcp.TextContent{Text: res.Err.Message + " (" + res.Err.Code + ")"}}
			return out, nil
		}
		out.StructuredContent = res.Structured
		return out, nil
	}
}

// internalMessage is what a failure of shopcard itself says.
const internalMessage = "Something went wrong on shopcard's side. Try again in a moment."
