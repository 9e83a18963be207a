package fakeshopify

import (
	"errors"
	"strings"
	"unicode"
)

// Shopify's search syntax (shopify.dev/docs/api/usage/search-syntax), as
// the fake reads it for orders(query:) and products(query:):
//
//	Query      = Term { [ whitespace Connective ] whitespace Term }
//	Connective = "AND" | "OR"            (AND when none is written)
//	Term       = [ Modifier ] ( "(" Query ")" | [ name Comparator ] value )
//	Modifier   = "-" | "NOT" whitespace
//	Comparator = ":" | ":<" | ":>" | ":<=" | ":>="
//
// A value is a name (no whitespace and none of the special characters
// : \ ( ) " ', though a backslash escapes the next character) or a string
// in double or single quotes, inside which a backslash escapes \, " and '.
// An unquoted value ending in * is a prefix search. AND binds tighter than
// OR. The fake parses all of it, so a client that splices a value into a
// query unquoted gets what Shopify would give it: OR, parentheses, - and *
// widen the search. Each resource then evaluates the terms it understands
// and refuses the rest loudly (see ordersMatcher and productsMatcher)
// rather than return unfiltered data.

// searchNode is a parsed query.
type searchNode interface{ isSearchNode() }

type searchAnd []searchNode
type searchOr []searchNode
type searchNot struct{ node searchNode }

// searchTerm is one [field comparator] value. Field is "" for the default
// field (a bare value).
type searchTerm struct {
	field, comparator, value string
	quoted                   bool
	prefix                   bool // an unquoted value ending in *
}

func (searchAnd) isSearchNode()  {}
func (searchOr) isSearchNode()   {}
func (searchNot) isSearchNode()  {}
func (searchTerm) isSearchNode() {}

var errSearchSyntax = errors.New("search syntax error")

// parseSearch parses a query in Shopify's search syntax.
func parseSearch(q string) (searchNode, error) {
	p := &searchParser{in: q}
	p.skipSpace()
	if p.done() {
		return nil, errSearchSyntax
	}
	n, err := p.query()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if !p.done() {
		return nil, errSearchSyntax // an unbalanced ")"
	}
	return n, nil
}

type searchParser struct {
	in  string
	pos int
}

func (p *searchParser) done() bool { return p.pos >= len(p.in) }

func (p *searchParser) skipSpace() bool {
	start := p.pos
	for !p.done() && isSearchSpace(p.in[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

func isSearchSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

// isSpecial reports the characters that end an unquoted name.
func isSpecial(b byte) bool { return strings.IndexByte(`:\()"'`, b) >= 0 }

// word reports whether the input at the cursor is the bare word w,
// followed by whitespace (or, for a closing connective check, the end).
func (p *searchParser) word(w string) bool {
	rest := p.in[p.pos:]
	return strings.HasPrefix(rest, w) && len(rest) > len(w) && isSearchSpace(rest[len(w)])
}

// query is an OR of ANDs, up to the end or a closing parenthesis.
func (p *searchParser) query() (searchNode, error) {
	var ors searchOr
	var ands searchAnd
	for {
		p.skipSpace()
		if p.done() || p.in[p.pos] == ')' {
			break
		}
		switch {
		case p.word("OR"):
			if len(ands) == 0 {
				return nil, errSearchSyntax
			}
			p.pos += 2
			ors = append(ors, collapse(ands))
			ands = nil
			continue
		case p.word("AND"):
			if len(ands) == 0 {
				return nil, errSearchSyntax
			}
			p.pos += 3
			continue
		}
		t, err := p.term()
		if err != nil {
			return nil, err
		}
		ands = append(ands, t)
	}
	if len(ands) == 0 {
		return nil, errSearchSyntax // empty, or a dangling connective
	}
	ors = append(ors, collapse(ands))
	if len(ors) == 1 {
		return ors[0], nil
	}
	return ors, nil
}

func collapse(ands searchAnd) searchNode {
	if len(ands) == 1 {
		return ands[0]
	}
	return ands
}

func (p *searchParser) term() (searchNode, error) {
	switch {
	case p.in[p.pos] == '-':
		p.pos++
		if p.done() || isSearchSpace(p.in[p.pos]) {
			return nil, errSearchSyntax
		}
		n, err := p.term()
		return searchNot{n}, err
	case p.word("NOT"):
		p.pos += 3
		p.skipSpace()
		if p.done() {
			return nil, errSearchSyntax
		}
		n, err := p.term()
		return searchNot{n}, err
	case p.in[p.pos] == '(':
		p.pos++
		n, err := p.query()
		if err != nil {
			return nil, err
		}
		if p.done() || p.in[p.pos] != ')' {
			return nil, errSearchSyntax
		}
		p.pos++
		return n, nil
	}
	// [name Comparator] value: a name followed by a colon is a field.
	start := p.pos
	name, ok := p.name()
	if ok && !p.done() && p.in[p.pos] == ':' {
		t := searchTerm{field: name, comparator: p.comparator()}
		if err := p.value(&t); err != nil {
			return nil, err
		}
		return t, nil
	}
	p.pos = start
	var t searchTerm
	if err := p.value(&t); err != nil {
		return nil, err
	}
	return t, nil
}

// name reads an unescaped run of name characters (a field name).
func (p *searchParser) name() (string, bool) {
	start := p.pos
	for !p.done() && !isSearchSpace(p.in[p.pos]) && !isSpecial(p.in[p.pos]) {
		p.pos++
	}
	return p.in[start:p.pos], p.pos > start
}

func (p *searchParser) comparator() string {
	for _, c := range []string{":<=", ":>=", ":<", ":>", ":"} {
		if strings.HasPrefix(p.in[p.pos:], c) {
			p.pos += len(c)
			return c
		}
	}
	return ""
}

// value reads a quoted string or an unquoted name with escapes.
func (p *searchParser) value(t *searchTerm) error {
	if p.done() {
		return errSearchSyntax
	}
	var b strings.Builder
	if q := p.in[p.pos]; q == '"' || q == '\'' {
		p.pos++
		for {
			if p.done() {
				return errSearchSyntax // no closing quote
			}
			c := p.in[p.pos]
			if c == q {
				p.pos++
				break
			}
			if c == '\\' {
				if p.pos+1 >= len(p.in) || strings.IndexByte(`\"'`, p.in[p.pos+1]) < 0 {
					return errSearchSyntax
				}
				p.pos++
				c = p.in[p.pos]
			}
			b.WriteByte(c)
			p.pos++
		}
		// A quoted value ends the term.
		if !p.done() && !isSearchSpace(p.in[p.pos]) && p.in[p.pos] != ')' {
			return errSearchSyntax
		}
		t.value, t.quoted = b.String(), true
		return nil
	}
	for !p.done() && !isSearchSpace(p.in[p.pos]) {
		c := p.in[p.pos]
		if c == '\\' {
			if p.pos+1 >= len(p.in) {
				return errSearchSyntax
			}
			p.pos++
			b.WriteByte(p.in[p.pos])
			p.pos++
			continue
		}
		if c == ')' {
			break
		}
		if isSpecial(c) {
			return errSearchSyntax
		}
		b.WriteByte(c)
		p.pos++
	}
	v := b.String()
	if v == "" {
		return errSearchSyntax
	}
	if rest, ok := strings.CutSuffix(v, "*"); ok {
		t.prefix = true
		v = rest
	}
	if strings.Contains(v, "*") || v == "" {
		// A wildcard anywhere but at the end, or alone: Shopify's
		// handling of these is not documented, so the fake does not
		// guess.
		return errSearchSyntax
	}
	t.value = v
	return nil
}

// termMatcher decides one term for one record: whether it matches, or an
// error for a term the resource does not understand.
type termMatcher[T any] func(t searchTerm, record T) (bool, error)

// compileSearch turns a parsed query into a predicate over records,
// checking every term once up front (against probe) so that a term the
// resource does not understand is refused even when no record would reach
// it.
func compileSearch[T any](n searchNode, match termMatcher[T], probe T) (func(T) bool, error) {
	var check func(searchNode) error
	check = func(n searchNode) error {
		switch n := n.(type) {
		case searchAnd:
			for _, c := range n {
				if err := check(c); err != nil {
					return err
				}
			}
		case searchOr:
			for _, c := range n {
				if err := check(c); err != nil {
					return err
				}
			}
		case searchNot:
			return check(n.node)
		case searchTerm:
			_, err := match(n, probe)
			return err
		}
		return nil
	}
	if err := check(n); err != nil {
		return nil, err
	}
	var eval func(searchNode, T) bool
	eval = func(n searchNode, r T) bool {
		switch n := n.(type) {
		case searchAnd:
			for _, c := range n {
				if !eval(c, r) {
					return false
				}
			}
			return true
		case searchOr:
			for _, c := range n {
				if eval(c, r) {
					return true
				}
			}
			return false
		case searchNot:
			return !eval(n.node, r)
		case searchTerm:
			ok, _ := match(n, r)
			return ok
		}
		return false
	}
	return func(r T) bool { return eval(n, r) }, nil
}

// words splits text into lowercase words for the default field: runs of
// letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// containsPhrase reports whether the words of phrase appear, in order and
// next to each other, among text's words; a prefix search matches the last
// word's beginning.
func containsPhrase(text []string, phrase []string, prefix bool) bool {
	if len(phrase) == 0 {
		return false
	}
	for i := 0; i+len(phrase) <= len(text); i++ {
		ok := true
		for j, w := range phrase {
			last := j == len(phrase)-1
			if text[i+j] != w && !(last && prefix && strings.HasPrefix(text[i+j], w)) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}
