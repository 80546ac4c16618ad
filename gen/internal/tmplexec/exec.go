// Package tmplexec executes the templates of an html/template set after
// html/template has escaped them, faster than text/template does.
//
// text/template resolves every field and method by name, through reflect,
// each time an action runs, and calls every function, the escapers
// included, through reflect.Value.Call. A Program resolves a name once per
// type and calls the escapers and builtins the theme uses directly.
//
// A Program only ever produces what html/template would: whenever it meets
// something it does not do exactly as text/template does (a value of an
// unusual type, an error, a panic), Execute returns ErrFallback before
// anything is final, and the caller runs html/template for the same page.
// Compile refuses templates that use anything else it does not know.
package tmplexec

import (
	"bytes"
	"errors"
	"html/template"
	"reflect"
	"slices"
	"strings"
	"sync"
	"text/template/parse"
	"time"
)

// ErrFallback means the output so far is to be discarded and the template
// run by html/template instead.
var ErrFallback = errors.New("tmplexec: run html/template instead")

// Program executes one template and those it calls.
type Program struct {
	trees map[string]*parse.Tree
	root  *parse.Tree
	funcs map[string]*function
	// fields resolves a field or method name on a type, once per pair.
	fields sync.Map // fieldKey → *access
}

// Compile prepares the template name of set. The set must have run the
// template once (html/template escapes a template on its first execution,
// and only an escaped tree can be run here), with the default missingkey
// option. funcs are the functions the set was given. Compile reports false
// when the templates use a function or a construct it does not handle.
func Compile(set *template.Template, name string, funcs template.FuncMap) (*Program, bool) {
	p := &Program{trees: map[string]*parse.Tree{}, funcs: map[string]*function{}}
	if !p.add(set, name, funcs) {
		return nil, false
	}
	p.root = p.trees[name]
	return p, true
}

// add takes the tree of the template name and of every template it calls.
func (p *Program) add(set *template.Template, name string, funcs template.FuncMap) bool {
	if _, ok := p.trees[name]; ok {
		return true
	}
	t := set.Lookup(name)
	if t == nil || t.Tree == nil || t.Tree.Root == nil {
		return false
	}
	p.trees[name] = t.Tree
	ok := true
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		if !ok || n == nil {
			return
		}
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
		case *parse.ActionNode:
			// html/template ends every action that prints in an
			// escaper; one without is not escaped yet.
			if len(n.Pipe.Decl) == 0 && !escaped(n.Pipe) {
				ok = false
			}
			walk(n.Pipe)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
			ok = ok && p.add(set, n.Name, funcs)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.ChainNode:
			walk(n.Node)
		case *parse.IdentifierNode:
			ok = p.addFunc(n.Ident, funcs)
		case *parse.FieldNode, *parse.VariableNode, *parse.DotNode, *parse.NilNode,
			*parse.BoolNode, *parse.NumberNode, *parse.StringNode:
		default:
			ok = false
		}
	}
	walk(t.Tree.Root)
	return ok
}

// escaped reports whether a pipeline ends in one of html/template's
// escapers.
func escaped(pipe *parse.PipeNode) bool {
	if len(pipe.Cmds) == 0 {
		return false
	}
	last := pipe.Cmds[len(pipe.Cmds)-1]
	id, ok := last.Args[0].(*parse.IdentifierNode)
	return ok && (strings.HasPrefix(id.Ident, "_html_template_") || id.Ident == "_eval_args_")
}

func (p *Program) addFunc(name string, funcs template.FuncMap) bool {
	if _, ok := p.funcs[name]; ok {
		return true
	}
	// The set's own functions come first, as in text/template.
	f, ok := funcs[name]
	if !ok {
		if b, ok := builtins[name]; ok {
			p.funcs[name] = &function{builtin: b}
			return true
		}
		if strings.HasPrefix(name, "_html_template_") || name == "_eval_args_" {
			// An escaper not done here: the pages that reach it run
			// with html/template.
			p.funcs[name] = &function{builtin: fallback}
			return true
		}
		if f, ok = builtinFuncs[name]; !ok {
			return false
		}
	}
	v := reflect.ValueOf(f)
	t := v.Type()
	if t.Kind() != reflect.Func {
		return false
	}
	switch {
	case t.NumOut() == 1:
	case t.NumOut() == 2 && t.Out(1) == errorType:
	default:
		return false
	}
	p.funcs[name] = &function{v: v, t: t, direct: directCall(f)}
	return true
}

// A function is a builtin or escaper done here, or one of the set's own.
type function struct {
	builtin builtin
	v       reflect.Value
	t       reflect.Type
	direct  func(args []reflect.Value) (reflect.Value, error)
}

// Execute runs the program with data into w. On any error, w holds what it
// held before, and the error is ErrFallback: html/template is to run.
func (p *Program) Execute(w *bytes.Buffer, data any) (err error) {
	start := w.Len()
	defer func() {
		if r := recover(); r != nil {
			err = ErrFallback
		}
		if err != nil {
			w.Truncate(start)
			err = ErrFallback
		}
	}()
	dot := reflect.ValueOf(data)
	s := &state{p: p, w: w, vars: []variable{{"$", dot}}}
	_, err = s.walk(dot, p.root.Root)
	return err
}

// errSlow is how the walk gives up; Execute turns it into ErrFallback.
var errSlow = errors.New("tmplexec: not handled")

type variable struct {
	name  string
	value reflect.Value
}

type state struct {
	p    *Program
	w    *bytes.Buffer
	vars []variable
	// depth bounds {{template}} recursion as text/template does.
	depth int
}

// control is how a walk ends: normally, or by {{break}} or {{continue}}.
type control int

const (
	flowNext control = iota
	flowBreak
	flowContinue
)

// maxDepth is text/template's bound on nested template calls.
const maxDepth = 100000

func (s *state) walk(dot reflect.Value, n parse.Node) (control, error) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return flowNext, nil
		}
		for _, c := range n.Nodes {
			if c, err := s.walk(dot, c); c != flowNext || err != nil {
				return c, err
			}
		}
	case *parse.TextNode:
		s.w.Write(n.Text)
	case *parse.ActionNode:
		v, err := s.pipeline(dot, n.Pipe)
		if err != nil {
			return flowNext, err
		}
		if len(n.Pipe.Decl) == 0 {
			return flowNext, s.print(v)
		}
	case *parse.IfNode:
		return s.ifOrWith(dot, n.Pipe, n.List, n.ElseList, false)
	case *parse.WithNode:
		return s.ifOrWith(dot, n.Pipe, n.List, n.ElseList, true)
	case *parse.RangeNode:
		return s.rangeOver(dot, n)
	case *parse.TemplateNode:
		return flowNext, s.template(dot, n)
	case *parse.CommentNode:
	case *parse.BreakNode:
		return flowBreak, nil
	case *parse.ContinueNode:
		return flowContinue, nil
	default:
		return flowNext, errSlow
	}
	return flowNext, nil
}

// print writes the value of an action. After html/template's escaping,
// every printed pipeline ends in an escaper, which gives a string.
func (s *state) print(v reflect.Value) error {
	if !v.IsValid() || v.Type() != stringType {
		return errSlow
	}
	s.w.WriteString(v.String())
	return nil
}

func (s *state) ifOrWith(dot reflect.Value, pipe *parse.PipeNode, list, elseList *parse.ListNode, with bool) (control, error) {
	mark := len(s.vars)
	defer func() { s.vars = s.vars[:mark] }()
	v, err := s.pipeline(dot, pipe)
	if err != nil {
		return flowNext, err
	}
	truth, ok := isTrue(indirectInterface(v))
	if !ok {
		return flowNext, errSlow
	}
	switch {
	case truth && with:
		return s.walk(v, list)
	case truth:
		return s.walk(dot, list)
	case elseList != nil:
		return s.walk(dot, elseList)
	}
	return flowNext, nil
}

func (s *state) rangeOver(dot reflect.Value, r *parse.RangeNode) (control, error) {
	outer := len(s.vars)
	defer func() { s.vars = s.vars[:outer] }()
	v, err := s.pipeline(dot, r.Pipe)
	if err != nil {
		return flowNext, err
	}
	val, _ := indirect(v)
	mark := len(s.vars)
	decl := r.Pipe.Decl
	one := func(index, elem reflect.Value) (control, error) {
		if len(decl) > 0 {
			if r.Pipe.IsAssign {
				if len(decl) > 1 {
					if !s.setVar(decl[0].Ident[0], index) || !s.setVar(decl[1].Ident[0], elem) {
						return flowNext, errSlow
					}
				} else if !s.setVar(decl[0].Ident[0], elem) {
					return flowNext, errSlow
				}
			} else {
				s.vars[mark-1].value = elem
				if len(decl) > 1 {
					s.vars[mark-2].value = index
				}
			}
		}
		c, err := s.walk(elem, r.List)
		s.vars = s.vars[:mark]
		return c, err
	}
	ran := false
	switch val.Kind() {
	case reflect.Array, reflect.Slice:
		for i := range val.Len() {
			ran = true
			c, err := one(reflect.ValueOf(i), val.Index(i))
			if err != nil {
				return flowNext, err
			}
			if c == flowBreak {
				break
			}
		}
	case reflect.Map:
		if val.Type().Key() != stringType {
			return flowNext, errSlow
		}
		keys := val.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			ran = true
			c, err := one(k, val.MapIndex(k))
			if err != nil {
				return flowNext, err
			}
			if c == flowBreak {
				break
			}
		}
	case reflect.Invalid:
	default:
		return flowNext, errSlow
	}
	if !ran && r.ElseList != nil {
		return s.walk(dot, r.ElseList)
	}
	return flowNext, nil
}

func (s *state) template(dot reflect.Value, t *parse.TemplateNode) error {
	tree := s.p.trees[t.Name]
	if tree == nil || s.depth >= maxDepth {
		return errSlow
	}
	v, err := s.pipeline(dot, t.Pipe)
	if err != nil {
		return err
	}
	inner := &state{p: s.p, w: s.w, vars: []variable{{"$", v}}, depth: s.depth + 1}
	_, err = inner.walk(v, tree.Root)
	return err
}

func (s *state) setVar(name string, v reflect.Value) bool {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			s.vars[i].value = v
			return true
		}
	}
	return false
}

func (s *state) varValue(name string) (reflect.Value, error) {
	for i := len(s.vars) - 1; i >= 0; i-- {
		if s.vars[i].name == name {
			return s.vars[i].value, nil
		}
	}
	return reflect.Value{}, errSlow
}

// final is the value a pipeline passes on to its next command.
type final struct {
	v  reflect.Value
	ok bool // there is one
}

func (s *state) pipeline(dot reflect.Value, pipe *parse.PipeNode) (reflect.Value, error) {
	if pipe == nil {
		return reflect.Value{}, nil
	}
	var (
		v   reflect.Value
		fin final
		err error
	)
	for _, cmd := range pipe.Cmds {
		v, err = s.command(dot, cmd, fin)
		if err != nil {
			return v, err
		}
		if v.Kind() == reflect.Interface && v.Type().NumMethod() == 0 {
			v = reflect.ValueOf(v.Interface())
		}
		fin = final{v, true}
	}
	for _, d := range pipe.Decl {
		if pipe.IsAssign {
			if !s.setVar(d.Ident[0], v) {
				return v, errSlow
			}
		} else {
			s.vars = append(s.vars, variable{d.Ident[0], v})
		}
	}
	return v, nil
}

func (s *state) command(dot reflect.Value, cmd *parse.CommandNode, fin final) (reflect.Value, error) {
	switch n := cmd.Args[0].(type) {
	case *parse.FieldNode:
		return s.fieldChain(dot, dot, n.Ident, cmd.Args, fin)
	case *parse.ChainNode:
		return s.chain(dot, n, cmd.Args, fin)
	case *parse.IdentifierNode:
		return s.call(dot, n.Ident, cmd.Args, fin)
	case *parse.VariableNode:
		return s.variable(dot, n, cmd.Args, fin)
	}
	if len(cmd.Args) > 1 || fin.ok {
		return reflect.Value{}, errSlow
	}
	switch n := cmd.Args[0].(type) {
	case *parse.PipeNode:
		return s.pipeline(dot, n)
	case *parse.BoolNode:
		return reflect.ValueOf(n.True), nil
	case *parse.DotNode:
		return dot, nil
	case *parse.NumberNode:
		return constant(n)
	case *parse.StringNode:
		return reflect.ValueOf(n.Text), nil
	}
	return reflect.Value{}, errSlow
}

func (s *state) chain(dot reflect.Value, n *parse.ChainNode, args []parse.Node, fin final) (reflect.Value, error) {
	if len(n.Field) == 0 {
		return reflect.Value{}, errSlow
	}
	var (
		recv reflect.Value
		err  error
	)
	switch c := n.Node.(type) {
	case *parse.PipeNode:
		recv, err = s.pipeline(dot, c)
	case *parse.FieldNode:
		recv, err = s.fieldChain(dot, dot, c.Ident, nil, final{})
	case *parse.VariableNode:
		recv, err = s.variable(dot, c, nil, final{})
	case *parse.DotNode:
		recv = dot
	default:
		return reflect.Value{}, errSlow
	}
	if err != nil {
		return recv, err
	}
	return s.fieldChain(dot, recv, n.Field, args, fin)
}

func (s *state) variable(dot reflect.Value, n *parse.VariableNode, args []parse.Node, fin final) (reflect.Value, error) {
	v, err := s.varValue(n.Ident[0])
	if err != nil {
		return v, err
	}
	if len(n.Ident) == 1 {
		if len(args) > 1 || fin.ok {
			return v, errSlow
		}
		return v, nil
	}
	return s.fieldChain(dot, v, n.Ident[1:], args, fin)
}

func (s *state) fieldChain(dot, recv reflect.Value, ident []string, args []parse.Node, fin final) (reflect.Value, error) {
	var err error
	last := len(ident) - 1
	for _, name := range ident[:last] {
		if recv, err = s.field(dot, name, nil, final{}, recv); err != nil {
			return recv, err
		}
	}
	return s.field(dot, ident[last], args, fin, recv)
}

// fieldKey names a field or method on a type, as the template writes it.
type fieldKey struct {
	t    reflect.Type
	name string
}

// access is how a fieldKey is reached.
type access struct {
	method int   // index in the method set, or -1
	field  []int // index path of a struct field, when method < 0
	isMap  bool
}

// field evaluates .name on recv, as text/template's evalField does.
func (s *state) field(dot reflect.Value, name string, args []parse.Node, fin final, recv reflect.Value) (reflect.Value, error) {
	if !recv.IsValid() {
		return reflect.Value{}, errSlow
	}
	recv, isNil := indirect(recv)
	if isNil {
		// A method of a nil pointer could still run; text/template
		// decides how, and reports the errors.
		return reflect.Value{}, errSlow
	}
	ptr := recv
	if ptr.Kind() != reflect.Interface && ptr.Kind() != reflect.Pointer && ptr.CanAddr() {
		ptr = ptr.Addr()
	}
	key := fieldKey{ptr.Type(), name}
	var a *access
	if c, ok := s.p.fields.Load(key); ok {
		a = c.(*access)
	} else {
		a = resolve(ptr, recv, name)
		s.p.fields.Store(key, a)
	}
	hasArgs := len(args) > 1 || fin.ok
	switch {
	case a == nil:
		return reflect.Value{}, errSlow
	case a.method >= 0:
		m := ptr.Method(a.method)
		return s.callValue(dot, m, m.Type(), args, fin)
	case hasArgs:
		return reflect.Value{}, errSlow
	case a.isMap:
		// A missing key gives the invalid value, as html/template's
		// default missingkey option does.
		return recv.MapIndex(reflect.ValueOf(name)), nil
	}
	f, err := recv.FieldByIndexErr(a.field)
	if err != nil {
		return reflect.Value{}, errSlow
	}
	return f, nil
}

// resolve finds what .name means on ptr (recv, or its address); nil when
// text/template would fail, or do something not done here.
func resolve(ptr, recv reflect.Value, name string) *access {
	if m, ok := ptr.Type().MethodByName(name); ok {
		if ptr.Kind() == reflect.Interface {
			return nil
		}
		return &access{method: m.Index}
	}
	switch recv.Kind() {
	case reflect.Struct:
		if f, ok := recv.Type().FieldByName(name); ok && f.IsExported() {
			return &access{method: -1, field: f.Index}
		}
	case reflect.Map:
		if recv.Type().Key() == stringType {
			return &access{method: -1, isMap: true}
		}
	}
	return nil
}

// call runs the function name with the command's other words as arguments.
func (s *state) call(dot reflect.Value, name string, args []parse.Node, fin final) (reflect.Value, error) {
	f := s.p.funcs[name]
	if f == nil {
		return reflect.Value{}, errSlow
	}
	if f.builtin != nil {
		return f.builtin(s, dot, args[1:], fin)
	}
	return s.callFunc(dot, f, args, fin)
}

func (s *state) callFunc(dot reflect.Value, f *function, args []parse.Node, fin final) (reflect.Value, error) {
	var small [4]reflect.Value
	argv, err := s.args(dot, f.t, args, fin, small[:0])
	if err != nil {
		return reflect.Value{}, err
	}
	if f.direct != nil {
		return f.direct(argv)
	}
	return callReflect(f.v, argv)
}

// callValue calls a method value.
func (s *state) callValue(dot reflect.Value, fn reflect.Value, t reflect.Type, args []parse.Node, fin final) (reflect.Value, error) {
	switch {
	case t.NumOut() == 1:
	case t.NumOut() == 2 && t.Out(1) == errorType:
	default:
		return reflect.Value{}, errSlow
	}
	var small [4]reflect.Value
	argv, err := s.args(dot, t, args, fin, small[:0])
	if err != nil {
		return reflect.Value{}, err
	}
	return callReflect(fn, argv)
}

func callReflect(fn reflect.Value, argv []reflect.Value) (reflect.Value, error) {
	out := fn.Call(argv)
	if len(out) == 2 && !out[1].IsNil() {
		return reflect.Value{}, errSlow
	}
	v := out[0]
	if v.Type() == reflectValueType {
		return reflect.Value{}, errSlow
	}
	return v, nil
}

// args evaluates a call's arguments for the function type t, as
// text/template's evalCall does; args[0] is the function's own word.
func (s *state) args(dot reflect.Value, t reflect.Type, args []parse.Node, fin final, argv []reflect.Value) ([]reflect.Value, error) {
	if len(args) > 0 {
		args = args[1:]
	}
	numIn := len(args)
	if fin.ok {
		numIn++
	}
	numFixed := len(args)
	if t.IsVariadic() {
		numFixed = t.NumIn() - 1
		if numIn < numFixed {
			return nil, errSlow
		}
	} else if numIn != t.NumIn() {
		return nil, errSlow
	}
	i := 0
	for ; i < numFixed && i < len(args); i++ {
		v, err := s.arg(dot, t.In(i), args[i])
		if err != nil {
			return nil, err
		}
		argv = append(argv, v)
	}
	if t.IsVariadic() {
		et := t.In(t.NumIn() - 1).Elem()
		for ; i < len(args); i++ {
			v, err := s.arg(dot, et, args[i])
			if err != nil {
				return nil, err
			}
			argv = append(argv, v)
		}
	}
	if fin.ok {
		ft := t.In(t.NumIn() - 1)
		if t.IsVariadic() {
			if numIn-1 < numFixed {
				ft = t.In(numIn - 1)
			} else {
				ft = ft.Elem()
			}
		}
		v, err := validate(fin.v, ft)
		if err != nil {
			return nil, err
		}
		argv = append(argv, v)
	}
	return argv, nil
}

// arg evaluates one argument for a parameter of type t.
func (s *state) arg(dot reflect.Value, t reflect.Type, n parse.Node) (reflect.Value, error) {
	if v, ok, err := s.operand(dot, n); ok {
		if err != nil {
			return v, err
		}
		return validate(v, t)
	}
	var v reflect.Value
	switch n := n.(type) {
	case *parse.DotNode:
		return validate(dot, t)
	case *parse.NilNode:
		if canBeNil(t) {
			return reflect.Zero(t), nil
		}
		return v, errSlow
	case *parse.StringNode:
		switch {
		case t.Kind() == reflect.String:
			return reflect.ValueOf(n.Text).Convert(t), nil
		case t.Kind() == reflect.Interface && t.NumMethod() == 0:
			return reflect.ValueOf(n.Text), nil
		}
		return v, errSlow
	case *parse.NumberNode:
		switch t.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if !n.IsInt {
				return v, errSlow
			}
			v = reflect.New(t).Elem()
			v.SetInt(n.Int64)
			return v, nil
		case reflect.Interface:
			if t.NumMethod() == 0 {
				return constant(n)
			}
		}
		return v, errSlow
	case *parse.BoolNode:
		switch {
		case t.Kind() == reflect.Bool:
			v = reflect.New(t).Elem()
			v.SetBool(n.True)
			return v, nil
		case t.Kind() == reflect.Interface && t.NumMethod() == 0:
			return reflect.ValueOf(n.True), nil
		}
		return v, errSlow
	}
	return v, errSlow
}

// operand evaluates a word whose value is computed: a field, variable,
// pipeline, function or chain (ok); other words are left to the caller.
func (s *state) operand(dot reflect.Value, n parse.Node) (v reflect.Value, ok bool, err error) {
	switch n := n.(type) {
	case *parse.FieldNode:
		v, err = s.fieldChain(dot, dot, n.Ident, nil, final{})
	case *parse.VariableNode:
		v, err = s.variable(dot, n, nil, final{})
	case *parse.PipeNode:
		v, err = s.pipeline(dot, n)
	case *parse.IdentifierNode:
		v, err = s.call(dot, n.Ident, []parse.Node{n}, final{})
	case *parse.ChainNode:
		v, err = s.chain(dot, n, nil, final{})
	default:
		return v, false, nil
	}
	return v, true, err
}

// validate fits v to a parameter of type t, as text/template's
// validateType does, or gives up.
func validate(v reflect.Value, t reflect.Type) (reflect.Value, error) {
	if !v.IsValid() {
		if canBeNil(t) {
			return reflect.Zero(t), nil
		}
		return v, errSlow
	}
	if v.Type().AssignableTo(t) {
		return v, nil
	}
	if v.Kind() == reflect.Interface && !v.IsNil() && v.Elem().Type().AssignableTo(t) {
		return v.Elem(), nil
	}
	return v, errSlow
}

// constant is a number literal given to a parameter of any type: only
// plain integers are done here.
func constant(n *parse.NumberNode) (reflect.Value, error) {
	if !n.IsInt || n.IsComplex || (n.IsFloat && strings.ContainsAny(n.Text, ".eEpP") && !isIntText(n.Text)) {
		return reflect.Value{}, errSlow
	}
	i := int(n.Int64)
	if int64(i) != n.Int64 {
		return reflect.Value{}, errSlow
	}
	return reflect.ValueOf(i), nil
}

// isIntText reports a literal text/template reads as an integer even with
// an e or p in it: hexadecimal and character literals.
func isIntText(s string) bool {
	return len(s) > 1 && (s[0] == '\'' || s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
}

func canBeNil(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.Interface, reflect.Map, reflect.Pointer, reflect.Slice:
		return true
	}
	return false
}

// indirect follows pointers and interfaces to a value, stopping at a nil
// one (reported).
func indirect(v reflect.Value) (reflect.Value, bool) {
	for ; v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface; v = v.Elem() {
		if v.IsNil() {
			return v, true
		}
	}
	return v, false
}

func indirectInterface(v reflect.Value) reflect.Value {
	if v.Kind() != reflect.Interface {
		return v
	}
	if v.IsNil() {
		return reflect.Value{}
	}
	return v.Elem()
}

// isTrue is the truth of if, with, and, or and not.
func isTrue(v reflect.Value) (truth, ok bool) {
	if !v.IsValid() {
		return false, true
	}
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() > 0, true
	case reflect.Bool:
		return v.Bool(), true
	case reflect.Complex64, reflect.Complex128:
		return v.Complex() != 0, true
	case reflect.Chan, reflect.Func, reflect.Pointer, reflect.UnsafePointer, reflect.Interface:
		return !v.IsNil(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int() != 0, true
	case reflect.Float32, reflect.Float64:
		return v.Float() != 0, true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return v.Uint() != 0, true
	case reflect.Struct:
		return true, true
	}
	return false, false
}

var (
	errorType        = reflect.TypeFor[error]()
	stringType       = reflect.TypeFor[string]()
	htmlType         = reflect.TypeFor[template.HTML]()
	reflectValueType = reflect.TypeFor[reflect.Value]()
)

// directCall returns a caller for functions of a few common shapes, which
// skips reflect.Value.Call; nil for the others.
func directCall(f any) func(args []reflect.Value) (reflect.Value, error) {
	switch f := f.(type) {
	case func(string) string:
		return func(a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(a[0].String())), nil
		}
	case func(string) template.HTML:
		return func(a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(a[0].String())), nil
		}
	case func(time.Time) string:
		return func(a []reflect.Value) (reflect.Value, error) {
			return reflect.ValueOf(f(timeOf(a[0]))), nil
		}
	case func(string, ...any) string:
		return func(a []reflect.Value) (reflect.Value, error) {
			if len(a) == 1 {
				return reflect.ValueOf(f(a[0].String())), nil
			}
			rest := make([]any, len(a)-1)
			for i, v := range a[1:] {
				rest[i] = v.Interface()
			}
			return reflect.ValueOf(f(a[0].String(), rest...)), nil
		}
	case func(string, string, any) (template.HTML, error):
		return func(a []reflect.Value) (reflect.Value, error) {
			h, err := f(a[0].String(), a[1].String(), a[2].Interface())
			if err != nil {
				return reflect.Value{}, errSlow
			}
			return reflect.ValueOf(h), nil
		}
	case func(string, any) (template.HTML, error):
		return func(a []reflect.Value) (reflect.Value, error) {
			h, err := f(a[0].String(), a[1].Interface())
			if err != nil {
				return reflect.Value{}, errSlow
			}
			return reflect.ValueOf(h), nil
		}
	}
	return nil
}

// timeOf reads a time.Time without boxing it when it can.
func timeOf(v reflect.Value) time.Time {
	if v.CanAddr() {
		return *v.Addr().Interface().(*time.Time)
	}
	return v.Interface().(time.Time)
}
