// Package aiapi serves shopcard's AI actions to agents: the MCP server at
// /mcp (Streamable HTTP, on the official Go SDK) and its plain JSON
// mirror under /api/v1, with its OpenAPI document. Both authenticate a
// workspace's API key the same way and call the same tools (package ai),
// so they give the same results and the same errors.
package aiapi

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"shopcard/ai"
	"shopcard/auth"
	"shopcard/domain"
)

// Keys finds API keys by the hash of the key and records their use.
type Keys interface {
	APIKeyByHash(ctx context.Context, keyHash string) (domain.APIKey, error)
	TouchAPIKey(ctx context.Context, keyID int64, at time.Time) error
}

// Tools is what the front ends ask of the tools: which ones the caller's
// workspace can use, and a call.
type Tools interface {
	Available(ctx context.Context, workspaceID int64) ([]ai.Tool, error)
	Call(ctx context.Context, caller ai.Caller, name string, args json.RawMessage) (ai.Result, error)
}

// touchEvery limits how often a key's last use is written: a busy agent
// calls many times a minute.
const touchEvery = time.Minute

type callerKey struct{}

// CallerOf returns the caller an authenticated request carries.
func CallerOf(ctx context.Context) (ai.Caller, bool) {
	c, ok := ctx.Value(callerKey{}).(ai.Caller)
	return c, ok
}

// Authenticate admits requests with a valid key in Authorization: Bearer
// and answers any other with 401, before reading their bodies: the shape
// of the key is checked before it is hashed and looked up, so an
// unauthenticated request costs one header read, a hash and an indexed
// lookup at most. A revoked key is refused like an unknown one.
func Authenticate(keys Keys, now func() time.Time, logger *slog.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key, ok := bearer(req.Header.Get(echo.HeaderAuthorization))
			if !ok {
				return unauthorized(c, "Send a shopcard API key as Authorization: Bearer sck_…. An admin makes one with shopcard api-key create or in the admin console.")
			}
			if !auth.LooksLikeAPIKey(key) {
				return unauthorized(c, "This is not a shopcard API key.")
			}
			k, err := keys.APIKeyByHash(req.Context(), auth.HashToken(key))
			if domain.KindOf(err) == domain.KindNotFound {
				return unauthorized(c, "This API key is unknown or was revoked.")
			}
			if err != nil {
				return err
			}
			if at := now(); at.Sub(k.LastUsedAt) >= touchEvery {
				if err := keys.TouchAPIKey(context.WithoutCancel(req.Context()), k.ID, at); err != nil {
					// A missed last-use time does not stop the call.
					logger.Warn("record API key use", slog.Int64("api_key_id", k.ID), slog.String("error", err.Error()))
				}
			}
			ctx := context.WithValue(req.Context(), callerKey{}, ai.Caller{WorkspaceID: k.WorkspaceID, KeyID: k.ID})
			c.SetRequest(req.WithContext(ctx))
			return next(c)
		}
	}
}

// bearer reads the token of an Authorization: Bearer header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// unauthorized answers 401 in the JSON both front ends speak, with the
// challenge RFC 6750 asks for.
func unauthorized(c echo.Context, message string) error {
	c.Response().Header().Set("WWW-Authenticate", `Bearer realm="shopcard"`)
	return writeError(c, http.StatusUnauthorized, "unauthorized", message)
}

// errorBody is every error's JSON.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func writeError(c echo.Context, status int, code, message string) error {
	var b errorBody
	b.Error.Code, b.Error.Message = code, message
	return c.JSON(status, b)
}

var errNoCaller = errors.New("aiapi: request reached a handler without authentication")
