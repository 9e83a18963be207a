package aiapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"shopcard/ai"
)

// JSON is the plain JSON mirror of the MCP server, for agents that don't
// speak MCP: POST /api/v1/tools/{name} with the tool's arguments as the
// body, the same key, and the same results and errors.
type JSON struct {
	Tools Tools
}

// CallResponse is a successful call: the model's text and the structured
// result, which follows the tool's output schema.
type CallResponse struct {
	Tool   string `json:"tool"`
	Text   string `json:"text"`
	Result any    `json:"result"`
}

// ToolInfo describes a tool the caller can use, as tools/list does.
type ToolInfo struct {
	Name         string `json:"name"`
	Title        string `json:"title"`
	Description  string `json:"description"`
	InputSchema  any    `json:"inputSchema"`
	OutputSchema any    `json:"outputSchema"`
}

// List serves GET /api/v1/tools: the tools the key's workspace can use
// now, as MCP's tools/list gives them.
func (j *JSON) List(c echo.Context) error {
	caller, ok := CallerOf(c.Request().Context())
	if !ok {
		return errNoCaller
	}
	tools, err := j.Tools.Available(c.Request().Context(), caller.WorkspaceID)
	if err != nil {
		return err
	}
	out := struct {
		Tools []ToolInfo `json:"tools"`
	}{Tools: []ToolInfo{}}
	for _, t := range tools {
		out.Tools = append(out.Tools, ToolInfo{Name: t.Name, Title: t.Title, Description: t.Description, InputSchema: t.InputSchema, OutputSchema: t.OutputSchema})
	}
	return c.JSON(http.StatusOK, out)
}

// Call serves POST /api/v1/tools/:name.
func (j *JSON) Call(c echo.Context) error {
	caller, ok := CallerOf(c.Request().Context())
	if !ok {
		return errNoCaller
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return writeError(c, http.StatusRequestEntityTooLarge, "too_large", "The arguments are larger than any tool takes.")
	}
	if err != nil {
		return writeError(c, http.StatusBadRequest, ai.CodeInvalidArguments, "The request body could not be read.")
	}
	if len(body) > 0 && !json.Valid(body) {
		return writeError(c, http.StatusBadRequest, ai.CodeInvalidArguments, "The body must be the tool's arguments as a JSON object.")
	}
	name := c.Param("name")
	res, err := j.Tools.Call(c.Request().Context(), caller, name, body)
	if err != nil {
		return err
	}
	if res.Err != nil {
		return writeError(c, statusOf(res.Err.Code), res.Err.Code, res.Err.Message)
	}
	return c.JSON(http.StatusOK, CallResponse{Tool: name, Text: res.Text, Result: res.Structured})
}

// statusOf is the HTTP status of a tool error. The guard's refusal is 404
// like a missing order, since it must not tell them apart.
func statusOf(code string) int {
	switch code {
	case ai.CodeInvalidArguments:
		return http.StatusBadRequest
	case ai.CodeUnknownTool, ai.CodeUnknownStore, ai.CodeNotVerified:
		return http.StatusNotFound
	case ai.CodeToolDisabled, ai.CodeMissingScope:
		return http.StatusForbidden
	case ai.CodeNoStores:
		return http.StatusConflict
	case ai.CodeUnavailable:
		return http.StatusBadGateway
	}
	return http.StatusInternalServerError
}
