package fakeshopify

import (
	"context"
	"encoding/json"
	"time"

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
// The latency injected for the store is how long the query runs: Shopify
// takes the requested cost from the bucket when a query is admitted and
// gives back what it did not spend only once it has run, so a slow query
// holds its whole requested cost meanwhile, and a burst of them can drain
// the bucket although each actually costs little. A request refused before
// it runs (invalid, too expensive, throttled) waits the latency too, but
// holds nothing. answered is false when the client gave up during the
// wait; the query still ran and was charged, as on Shopify.
//
// graphql-go validates and executes. The gqlparser AST is needed as well,
// because the fake's own pricing (cost.go) works on it, and its variable
// coercion catches scalar mismatches that graphql-go lets through to
// execution.
func (s *Server) execute(ctx context.Context, sc *requestScope, req gqlRequest, latency time.Duration) (gqlResponse, bool) {
	resp, admitted := s.admitQuery(sc, req)
	if admitted == nil {
		return resp, sleep(ctx, latency)
	}
	answered := sleep(ctx, latency)
	return s.run(context.WithoutCancel(ctx), sc, req, admitted), answered
}

// admittedQuery is a query that passed validation and was charged its
// requested cost.
type admittedQuery struct {
	op        *ast.OperationDefinition
	requested int
}

// admitQuery validates req and charges its requested cost; a nil query
// means req was refused, with resp saying why.
func (s *Server) admitQuery(sc *requestScope, req gqlRequest) (resp gqlResponse, q *admittedQuery) {
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
		return gqlResponse{Errors: docErrs}, nil
	}
	doc, errs := gqlparser.LoadQuery(shopify.Schema(), req.Query)
	if len(errs) > 0 {
		// graphql-go accepted what gqlparser rejects; say so rather than
		// guess.
		return gqlResponse{Errors: parserErrors(errs)}, nil
	}
	op, opErr := pickOperation(doc, req.OperationName)
	if opErr != nil {
		return gqlResponse{Errors: []gqlError{*opErr}}, nil
	}
	if e := checkVariables(op, req.Variables, varErrs); e != nil {
		return gqlResponse{Errors: []gqlError{*e}}, nil
	}
	if e := checkIdentifiers(op, req.Variables); e != nil {
		return gqlResponse{Errors: []gqlError{*e}}, nil
	}

	requested := requestedCost(shopify.Schema(), op, req.Variables)
	if requested > maxQueryCost {
		return gqlResponse{
			Errors:     []gqlError{maxCostError(requested, maxQueryCost)},
			Extensions: s.costOf(sc, requested, nil),
		}, nil
	}
	if !s.charge(sc, requested) {
		return gqlResponse{
			Errors:     []gqlError{throttledError()},
			Extensions: s.costOf(sc, requested, nil),
		}, nil
	}
	return gqlResponse{}, &admittedQuery{op: op, requested: requested}
}

// run executes an admitted query, refunds what it did not spend and
// reports the bucket as it is once it has run.
func (s *Server) run(ctx context.Context, sc *requestScope, req gqlRequest, q *admittedQuery) gqlResponse {
	op, requested := q.op, q.requested
	// The bucket is reported as of the end of the run: what refilled while
	// the query ran, with its refund.
	sc.now = s.clock()
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
