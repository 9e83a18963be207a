package fakeshopify

import (
	"cmp"
	"fmt"
	"slices"
)

// maxPageSize is the most items Shopify returns from one connection.
const maxPageSize = 250

// pageOf pages a connection like Shopify: first or last is required and
// at most 250. Cursors are refused, since the subset schema has no
// pageInfo or edges to obtain one from.
func pageOf[T any](items []T, first, last *int32, after, before *string) ([]T, error) {
	if after != nil || before != nil {
		return nil, unsupported("cursor pagination (after, before)")
	}
	if first == nil && last == nil {
		return nil, &fieldError{message: "you must provide one of first or last"}
	}
	if first != nil {
		n, err := pageSize("first", *first)
		if err != nil {
			return nil, err
		}
		items = items[:min(n, len(items))]
	}
	if last != nil {
		n, err := pageSize("last", *last)
		if err != nil {
			return nil, err
		}
		items = items[len(items)-min(n, len(items)):]
	}
	return items, nil
}

// pageOfArgs pages a connection with its arguments, reversing first when
// asked, and says whether entries follow the page (PageInfo.hasNextPage).
func pageOfArgs[T any](items []T, args connectionArgs) ([]T, *pageInfoResolver, error) {
	items = slices.Clone(items)
	if args.Reverse {
		reverse(items)
	}
	page, err := pageOf(items, args.First, args.Last, args.After, args.Before)
	if err != nil {
		return nil, nil, err
	}
	// With last, the page ends the list: nothing follows it.
	hasNext := args.Last == nil && len(page) < len(items)
	return page, &pageInfoResolver{hasNext: hasNext}, nil
}

func pageSize(arg string, n int32) (int, error) {
	if n < 0 {
		return 0, &fieldError{message: fmt.Sprintf("`%s` cannot be negative.", arg)}
	}
	if n > maxPageSize {
		return 0, &fieldError{
			message:    fmt.Sprintf("`%s` cannot exceed %d.", arg, maxPageSize),
			extensions: map[string]any{"code": "BAD_REQUEST"},
		}
	}
	return int(n), nil
}

// limit keeps the first n items of a plain list, when n is given.
func limit[T any](items []T, first *int32) ([]T, error) {
	if first == nil {
		return items, nil
	}
	n, err := pageSize("first", *first)
	if err != nil {
		return nil, err
	}
	return items[:min(n, len(items))], nil
}

func reverse[T any](items []T) { slices.Reverse(items) }

// orderKeys are the OrderSortKeys the fake sorts by. Ties fall back to
// the ID, as on Shopify, so pages are stable.
var orderKeys = map[string]func(a, b *Order) int{
	"ID":         func(a, b *Order) int { return 0 },
	"CREATED_AT": func(a, b *Order) int { return a.CreatedAt.Compare(b.CreatedAt) },
	// Orders placed online are processed when they are created.
	"PROCESSED_AT": func(a, b *Order) int { return a.CreatedAt.Compare(b.CreatedAt) },
	"UPDATED_AT":   func(a, b *Order) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
	"ORDER_NUMBER": func(a, b *Order) int { return cmp.Compare(a.Number, b.Number) },
	"TOTAL_PRICE":  compareTotals,
	// Without edits or refunds the current total is the total; the fake
	// only stores the current one.
	"CURRENT_TOTAL_PRICE": compareTotals,
	"FINANCIAL_STATUS":    func(a, b *Order) int { return cmp.Compare(a.FinancialStatus, b.FinancialStatus) },
	"FULFILLMENT_STATUS":  func(a, b *Order) int { return cmp.Compare(a.FulfillmentStatus, b.FulfillmentStatus) },
}

func compareTotals(a, b *Order) int {
	x, _ := parseAmount(a.Total)
	y, _ := parseAmount(b.Total)
	return cmp.Compare(x, y)
}

// sortOrders sorts by an OrderSortKeys value, descending when reverse.
func sortOrders(orders []*Order, key string, reverse bool) error {
	by, ok := orderKeys[key]
	if !ok {
		return unsupported("sortKey " + key)
	}
	slices.SortFunc(orders, func(a, b *Order) int {
		c := cmp.Or(by(a, b), cmp.Compare(a.ID, b.ID))
		if reverse {
			return -c
		}
		return c
	})
	return nil
}

// sortFulfillments puts fulfillments oldest first.
func sortFulfillments(fs []*Fulfillment) {
	slices.SortStableFunc(fs, func(a, b *Fulfillment) int { return a.CreatedAt.Compare(b.CreatedAt) })
}
