package tmplexec

import (
	"cmp"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"text/template/parse"
)

// A builtin is a function done here rather than through reflect: args are
// the words after its name, fin the value piped in.
type builtin func(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error)

// builtins are text/template's builtins and html/template's escapers that
// the executor does itself. A template calling another one is not
// compiled.
var builtins map[string]builtin

// builtinFuncs are text/template's builtins that are plain Go functions.
var builtinFuncs = map[string]any{
	"printf":  fmt.Sprintf,
	"print":   fmt.Sprint,
	"println": fmt.Sprintln,
}

func init() {
	builtins = map[string]builtin{
		"and":   andOr(false),
		"or":    andOr(true),
		"not":   not,
		"eq":    compare("eq"),
		"ne":    compare("ne"),
		"lt":    compare("lt"),
		"le":    compare("le"),
		"gt":    compare("gt"),
		"ge":    compare("ge"),
		"len":   length,
		"index": index,

		"_html_template_htmlescaper":   escaper(htmlEscaper),
		"_html_template_attrescaper":   escaper(attrEscaper),
		"_html_template_rcdataescaper": escaper(rcdataEscaper),
		"_html_template_urlfilter":     escaper(urlFilter),
		"_html_template_urlnormalizer": escaper(func(s string, html bool) (string, bool) { return urlProcess(s, true), true }),
		"_html_template_urlescaper":    escaper(func(s string, html bool) (string, bool) { return urlProcess(s, false), true }),
		"_html_template_srcsetescaper": escaper(srcsetEscaper),
	}
}

// values evaluates every argument and the piped value for a parameter of
// type reflect.Value, as text/template gives them to its builtins.
func (s *state) values(dot reflect.Value, args []parse.Node, fin final, small []reflect.Value) ([]reflect.Value, error) {
	vals := small
	for _, a := range args {
		v, err := s.raw(dot, a)
		if err != nil {
			return nil, err
		}
		vals = append(vals, v)
	}
	if fin.ok {
		if !fin.v.IsValid() {
			return nil, errSlow
		}
		vals = append(vals, fin.v)
	}
	return vals, nil
}

// raw evaluates an argument for a parameter of type reflect.Value.
func (s *state) raw(dot reflect.Value, n parse.Node) (reflect.Value, error) {
	v, ok, err := s.operand(dot, n)
	if !ok {
		switch n := n.(type) {
		case *parse.DotNode:
			v = dot
		case *parse.StringNode:
			return reflect.ValueOf(n.Text), nil
		case *parse.NumberNode:
			return constant(n)
		case *parse.BoolNode:
			return reflect.ValueOf(n.True), nil
		default:
			return v, errSlow
		}
	}
	if err == nil && !v.IsValid() {
		err = errSlow
	}
	return v, err
}

func fallback(*state, reflect.Value, []parse.Node, final) (reflect.Value, error) {
	return reflect.Value{}, errSlow
}

func truth(v reflect.Value) bool {
	t, _ := isTrue(indirectInterface(v))
	return t
}

// andOr gives and (the first false value, or the last) or or (the first
// true one, or the last), evaluating no argument after the one that
// decides, as text/template does.
func andOr(or bool) builtin {
	return func(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
		if len(args) == 0 && !fin.ok {
			return reflect.Value{}, errSlow
		}
		var v reflect.Value
		for _, a := range args {
			var err error
			if v, err = s.raw(dot, a); err != nil {
				return v, err
			}
			if truth(v) == or {
				return v, nil
			}
		}
		if fin.ok {
			if !fin.v.IsValid() {
				return v, errSlow
			}
			v = fin.v
		}
		return v, nil
	}
}

func not(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
	var small [2]reflect.Value
	vals, err := s.values(dot, args, fin, small[:0])
	if err != nil || len(vals) != 1 {
		return reflect.Value{}, errSlow
	}
	return reflect.ValueOf(!truth(vals[0])), nil
}

// compare gives eq (true when the first operand equals any other), ne,
// lt, le, gt and ge, for the values whose comparison text/template does
// simply: booleans (eq and ne only), integers, floats and strings.
func compare(op string) builtin {
	return func(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
		var small [4]reflect.Value
		vals, err := s.values(dot, args, fin, small[:0])
		if err != nil || len(vals) < 2 || op != "eq" && len(vals) != 2 {
			return reflect.Value{}, errSlow
		}
		a := indirectInterface(vals[0])
		for _, b := range vals[1:] {
			c, ok := order(a, indirectInterface(b), op == "eq" || op == "ne")
			if !ok {
				return reflect.Value{}, errSlow
			}
			var holds bool
			switch op {
			case "eq":
				if c != 0 {
					continue
				}
				holds = true
			case "ne":
				holds = c != 0
			case "lt":
				holds = c < 0
			case "le":
				holds = c <= 0
			case "gt":
				holds = c > 0
			case "ge":
				holds = c >= 0
			}
			return reflect.ValueOf(holds), nil
		}
		return reflect.ValueOf(false), nil
	}
}

// order compares two basic values: -1, 0 or 1 (for booleans, 0 or 1).
func order(a, b reflect.Value, equality bool) (int, bool) {
	ka, kb := kindOf(a), kindOf(b)
	switch {
	case ka == kindInt && kb == kindUint:
		if a.Int() < 0 {
			return -1, true
		}
		return cmp.Compare(uint64(a.Int()), b.Uint()), true
	case ka == kindUint && kb == kindInt:
		if b.Int() < 0 {
			return 1, true
		}
		return cmp.Compare(a.Uint(), uint64(b.Int())), true
	case ka != kb || ka == kindOther:
		return 0, false
	}
	switch ka {
	case kindBool:
		if !equality {
			return 0, false
		}
		if a.Bool() == b.Bool() {
			return 0, true
		}
		return 1, true
	case kindInt:
		return cmp.Compare(a.Int(), b.Int()), true
	case kindUint:
		return cmp.Compare(a.Uint(), b.Uint()), true
	case kindFloat:
		x, y := a.Float(), b.Float()
		switch {
		case x < y:
			return -1, true
		case x > y:
			return 1, true
		case x == y:
			return 0, true
		}
		return 0, false // NaN
	case kindString:
		return strings.Compare(a.String(), b.String()), true
	}
	return 0, false
}

type kind int

const (
	kindOther kind = iota
	kindBool
	kindInt
	kindUint
	kindFloat
	kindString
)

func kindOf(v reflect.Value) kind {
	switch v.Kind() {
	case reflect.Bool:
		return kindBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return kindInt
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return kindUint
	case reflect.Float32, reflect.Float64:
		return kindFloat
	case reflect.String:
		return kindString
	}
	return kindOther
}

func length(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
	var small [2]reflect.Value
	vals, err := s.values(dot, args, fin, small[:0])
	if err != nil || len(vals) != 1 {
		return reflect.Value{}, errSlow
	}
	v, isNil := indirect(vals[0])
	if isNil {
		return reflect.Value{}, errSlow
	}
	switch v.Kind() {
	case reflect.Array, reflect.Chan, reflect.Map, reflect.Slice, reflect.String:
		return reflect.ValueOf(v.Len()), nil
	}
	return reflect.Value{}, errSlow
}

// index gives item[i][j]…, for lists indexed by integers in range and maps
// by keys of their own key type.
func index(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
	var small [4]reflect.Value
	vals, err := s.values(dot, args, fin, small[:0])
	if err != nil || len(vals) == 0 {
		return reflect.Value{}, errSlow
	}
	item := indirectInterface(vals[0])
	if !item.IsValid() {
		return reflect.Value{}, errSlow
	}
	for _, i := range vals[1:] {
		i = indirectInterface(i)
		var isNil bool
		if item, isNil = indirect(item); isNil || !i.IsValid() {
			return reflect.Value{}, errSlow
		}
		switch item.Kind() {
		case reflect.Array, reflect.Slice, reflect.String:
			var x int64
			switch kindOf(i) {
			case kindInt:
				x = i.Int()
			case kindUint:
				if i.Uint() > uint64(item.Len()) {
					return reflect.Value{}, errSlow
				}
				x = int64(i.Uint())
			default:
				return reflect.Value{}, errSlow
			}
			if x < 0 || x >= int64(item.Len()) {
				return reflect.Value{}, errSlow
			}
			item = item.Index(int(x))
		case reflect.Map:
			if i.Type() != item.Type().Key() {
				return reflect.Value{}, errSlow
			}
			if x := item.MapIndex(i); x.IsValid() {
				item = x
			} else {
				item = reflect.Zero(item.Type().Elem())
			}
		default:
			return reflect.Value{}, errSlow
		}
	}
	return item, nil
}

// escaper adapts an escaping function of one plain string or one
// template.HTML (html) to a builtin; its second result is false for a
// value it leaves to html/template.
func escaper(esc func(s string, html bool) (string, bool)) builtin {
	return func(s *state, dot reflect.Value, args []parse.Node, fin final) (reflect.Value, error) {
		if len(args) != 0 || !fin.ok {
			return reflect.Value{}, errSlow
		}
		text, html, ok := stringOf(fin.v)
		if !ok {
			return reflect.Value{}, errSlow
		}
		out, ok := esc(text, html)
		if !ok {
			return reflect.Value{}, errSlow
		}
		return reflect.ValueOf(out), nil
	}
}

// stringOf is the text html/template's escapers see in a value: a string,
// a template.HTML (html), or a boolean or integer of a predeclared type. Other values
// are left to html/template (ok false).
func stringOf(v reflect.Value) (s string, html, ok bool) {
	if v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", false, false
		}
		v = v.Elem()
	}
	if !v.IsValid() {
		return "", false, false
	}
	t := v.Type()
	switch t {
	case stringType:
		return v.String(), false, true
	case htmlType:
		return v.String(), true, true
	}
	if t.PkgPath() != "" || t.Name() == "" {
		return "", false, false
	}
	switch kindOf(v) {
	case kindBool:
		return strconv.FormatBool(v.Bool()), false, true
	case kindInt:
		return strconv.FormatInt(v.Int(), 10), false, true
	case kindUint:
		return strconv.FormatUint(v.Uint(), 10), false, true
	}
	return "", false, false
}

// The escapers below give, byte for byte, what html/template's escapers of
// the same names give for a plain string or a template.HTML.

// htmlTable is what HTML text and attribute values replace.
var htmlTable = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlNormTable leaves & alone: the text is HTML already.
var htmlNormTable = func() [256]string {
	t := htmlTable
	t['&'] = ""
	return t
}()

func replace(s string, table *[256]string) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		r := table[s[i]]
		if r == "" {
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteString(r)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

func htmlEscaper(s string, html bool) (string, bool) {
	if html {
		return s, true
	}
	return replace(s, &htmlTable), true
}

func attrEscaper(s string, html bool) (string, bool) {
	if html {
		return "", false // html/template strips the tags first
	}
	return replace(s, &htmlTable), true
}

func rcdataEscaper(s string, html bool) (string, bool) {
	if html {
		return replace(s, &htmlNormTable), true
	}
	return replace(s, &htmlTable), true
}

// urlFilter lets through only addresses without a scheme, or with http,
// https or mailto.
func urlFilter(s string, html bool) (string, bool) {
	if !safeURL(s) {
		return "#ZgotmplZ", true
	}
	return s, true
}

func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	return !ok || strings.Contains(scheme, "/") ||
		strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") || strings.EqualFold(scheme, "mailto")
}

// srcsetEscaper keeps each comma-separated source of a srcset whose
// address passes urlFilter and whose size is letters, digits and spaces,
// with its address normalized; any other source becomes #ZgotmplZ.
func srcsetEscaper(s string, html bool) (string, bool) {
	var b strings.Builder
	b.Grow(len(s) + 16)
	for {
		src, rest, more := strings.Cut(s, ",")
		i := 0
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		j := i
		for j < len(src) && !isSpace(src[j]) {
			j++
		}
		addr, size := src[i:j], src[j:]
		ok := safeURL(addr)
		for k := 0; ok && k < len(size); k++ {
			c := size[k]
			ok = isSpace(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		}
		if ok {
			b.WriteString(src[:i])
			b.WriteString(urlProcess(addr, true))
			b.WriteString(size)
		} else {
			b.WriteString("#ZgotmplZ")
		}
		if !more {
			return b.String(), true
		}
		b.WriteByte(',')
		s = rest
	}
}

// isSpace reports ASCII whitespace as HTML defines it.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// urlProcess percent-encodes what may not stand in an address (norm) or in
// one of its query values (not norm).
func urlProcess(s string, norm bool) string {
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps(s, i, norm) {
			continue
		}
		if written == 0 {
			b.Grow(len(s) + 16)
		}
		b.WriteString(s[written:i])
		b.WriteByte('%')
		b.WriteByte(lowerHex[c>>4])
		b.WriteByte(lowerHex[c&15])
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

const lowerHex = "0123456789abcdef"

func urlKeeps(s string, i int, norm bool) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	switch c {
	case '-', '.', '_', '~':
		return true
	case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
		return norm
	case '%':
		return norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
