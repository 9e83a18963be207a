package fakeshopify

import (
	"context"
	"encoding/json"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"shopcard/shopify"
)

// execute answers one authenticated GraphQL request the way Shopify does:
// reject an invalid document or variables (no cost), refuse a query over
// the single-query limit, throttle when the bucket is short, and otherwise
// run it and charge what it actually cost.
//
// graphql-go validates and executes. The gqlparser AST is needed as well,
// because the fake's own pricing (cost.go) works on it, and its variable
// coercion catches scalar mismatches that graphql-go lets through to
// execution.
func (s *Server) execute(ctx context.Context, sc *requestScope, req gqlRequest) gqlResponse {
	var varErrs []*gqlerrors.QueryError
	var docErrs []gqlError
	for _, e := range s.schema.ValidateWithVariables(req.Query, req.Variables) {
		if e.Rule == "VariablesOfCorrectType" {
			varErrs = append(varErrs, e)
			continue
		}
		docErrs = append(docErrs, validationError(e))
	}
	if len(docErrs) > 0 {
		return gqlResponse{Errors: docErrs}
	}
	doc, errs := gqlparser.LoadQuery(shopify.Schema(), req.Query)
	if len(errs) > 0 {
		// graphql-go accepted what gqlparser rejects; say so rather than
		// guess.
		return gqlResponse{Errors: parserErrors(errs)}
	}
	op, opErr := pickOperation(doc, req.OperationName)
	if opErr != nil {
		return gqlResponse{Errors: []gqlError{*opErr}}
	}
	if e := checkVariables(op, req.Variables, varErrs); e != nil {
		return gqlResponse{Errors: []gqlError{*e}}
	}
	if e := checkIdentifiers(op, req.Variables); e != nil {
		return gqlResponse{Errors: []gqlError{*e}}
	}

	requested := requestedCost(shopify.Schema(), op, req.Variables)
	if requested > maxQueryCost {
		return gqlResponse{
			Errors:     []gqlError{maxCostError(requested, maxQueryCost)},
			Extensions: s.costOf(sc, requested, nil),
		}
	}
	if !s.charge(sc, requested) {
		return gqlResponse{
			Errors:     []gqlError{throttledError()},
			Extensions: s.costOf(sc, requested, nil),
		}
	}

	res := s.schema.Exec(withScope(ctx, sc), req.Query, req.OperationName, req.Variables)
	var data any
	if len(res.Data) > 0 {
		_ = json.Unmarshal(res.Data, &data) // graphql-go wrote it
	}
	actual := actualCost(shopify.Schema(), op, req.Variables, data)
	s.refund(sc, requested-actual)
	out := gqlResponse{Data: res.Data, Extensions: s.costOf(sc, requested, &actual)}
	for _, e := range res.Errors {
		out.Errors = append(out.Errors, executionError(op, e))
	}
	return out
}

// charge takes the requested cost from the store's bucket, or reports that
// the request is throttled (by the bucket or by a ThrottleNext fault).
func (s *Server) charge(sc *requestScope, cost int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sc.st.faults.ThrottleNext > 0 {
		sc.st.faults.ThrottleNext--
		return false
	}
	return sc.st.bucket.take(cost, sc.now)
}

// refund gives back the points a query requested but did not spend.
func (s *Server) refund(sc *requestScope, points int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sc.st.bucket.giveBack(points)
}

// costOf builds extensions.cost with the bucket as it is now.
func (s *Server) costOf(sc *requestScope, requested int, actual *int) *responseExtensions {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &responseExtensions{Cost: costExtension{
		RequestedQueryCost: requested,
		ActualQueryCost:    actual,
		ThrottleStatus:     sc.st.bucket.status(sc.now),
	}}
}

// pickOperation selects the operation to run, as graphql-go will.
func pickOperation(doc *ast.QueryDocument, name string) (*ast.OperationDefinition, *gqlError) {
	if name == "" {
		if len(doc.Operations) != 1 {
			return nil, &gqlError{Message: "An operation name is required"}
		}
		return doc.Operations[0], nil
	}
	if op := doc.Operations.ForName(name); op != nil {
		return op, nil
	}
	return nil, &gqlError{Message: `No operation named "` + name + `"`}
}
