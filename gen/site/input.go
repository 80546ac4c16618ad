package site

import (
	"encoding/binary"
	"github.com/cespare/xxhash/v2"
	"math"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// An Input is something pages are made from that can change between two
// builds: a story, a topic, the site's settings, a dataset, an album, a
// photo. Its key names it (a source file where there is one) and its
// version changes whenever what a page could show of it does.
type Input interface {
	InputKey() string
	InputVersion() uint64
}

// Reads are inputs a page read while it rendered (a dataset a {{data:}}
// figure quotes, a photo in its Markdown), with the version it saw, by key.
type Reads map[string]uint64

// Read records that the page read in while it rendered. A page renders on
// one goroutine, so this needs no lock.
func (p *Page) Read(in Input) {
	if p.reads == nil {
		p.reads = Reads{}
	}
	p.reads[in.InputKey()] = in.InputVersion()
}

// Reads returns what the page read while it rendered.
func (p *Page) Reads() Reads { return p.reads }

// InputKey and InputVersion make a page's Markdown an input of the page;
// the story or topic it comes from gives it its version.
func (s *Source) InputKey() string { return s.File }

// InputVersion is the version of the file the Markdown comes from.
func (s *Source) InputVersion() uint64 { return s.Version }

// Fingerprint hashes everything a page's template can reach from the page
// (every exported field, followed through pointers, lists and maps), an
// Input by its key and version, and returns the keys of the inputs met.
// Two plans of a page with equal fingerprints render the same HTML as long
// as the theme and what the page reads while rendering are unchanged. The
// page's Body, its output, is left out.
func Fingerprint(p *Page) (uint64, []string) {
	w := walkers.Get().(*walker)
	w.h.Reset()
	w.b, w.keys = w.b[:0], nil
	walkPage()(w, reflect.ValueOf(p).Elem())
	w.h.Write(w.b)
	sum, keys := w.h.Sum64(), w.keys
	w.keys = nil
	walkers.Put(w)
	return sum, keys
}

// walkers are walkers with their buffers, for Fingerprint: the bytes
// of a walk go to the hash a buffer at a time rather than a field at a
// time, which took BenchmarkFingerprints (gen/pipeline) from 52-55 to
// 38-40 ms/op; the hash is the same, xxhash of the same bytes. The pool
// is what keeps that: a walker and buffer made for each page took the
// same benchmark to 61-99 against 39-71 ms/op, allocating 52.6 against
// 5.7 MB an op (the two taking turns).
var walkers = sync.Pool{New: func() any { return &walker{h: xxhash.New(), b: make([]byte, 0, walkBuffer)} }}

// walkBuffer is what a walker gathers before it hashes it.
const walkBuffer = 16 << 10

// walkPage walks a Page by name and value of each exported field but Body.
var walkPage = sync.OnceValue(func() walkFunc {
	fields := exportedFields(reflect.TypeFor[Page](), "Body", walkFor)
	return func(w *walker, v reflect.Value) {
		for _, f := range fields {
			w.str(f.name)
			f.walk(w, v.Field(f.i))
		}
	}
})

// structField is an exported field of a struct and its walkFunc.
type structField struct {
	i    int
	name string
	walk walkFunc
}

// exportedFields are the exported fields of the struct type t but the one
// named skip, each with its walkFunc made by walk.
func exportedFields(t reflect.Type, skip string, walk func(reflect.Type) walkFunc) []structField {
	var fields []structField
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && f.Name != skip {
			fields = append(fields, structField{i, f.Name, walk(f.Type)})
		}
	}
	return fields
}

var (
	inputType = reflect.TypeFor[Input]()
	timeType  = reflect.TypeFor[time.Time]()
)

type walker struct {
	h    *xxhash.Digest
	b    []byte // not hashed yet
	keys []string
}

// flush hashes what the walker gathered, when it is a buffer's worth.
func (w *walker) flush() {
	if len(w.b) >= walkBuffer {
		w.h.Write(w.b)
		w.b = w.b[:0]
	}
}

func (w *walker) u64(x uint64) {
	w.b = binary.LittleEndian.AppendUint64(w.b, x)
	w.flush()
}

func (w *walker) str(s string) {
	w.b = binary.LittleEndian.AppendUint64(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
	w.flush()
}

// isInput reports whether values of t count as inputs, by key and version.
// A struct that embeds an input has its methods without being one (a
// TopicCount is a topic and a count): it is walked field by field.
func isInput(t reflect.Type) bool {
	if t.Kind() == reflect.Interface || !t.Implements(inputType) {
		return false
	}
	s := t
	if s.Kind() == reflect.Pointer {
		s = s.Elem()
	}
	if s.Kind() == reflect.Struct {
		for i := range s.NumField() {
			if f := s.Field(i); f.Anonymous && (f.Type.Implements(inputType) || reflect.PointerTo(f.Type).Implements(inputType)) {
				return false
			}
		}
	}
	return true
}

// A walkFunc hashes a value of one type into w. Each type's is made once
// (walkFor), so that walking a page costs no look-up of what its types
// are: BenchmarkFingerprints (gen/pipeline) takes 98-108 ms/op against
// 151-174 for a walk that looked types up, and Session.Update
// fingerprints every page after any change.
type walkFunc func(w *walker, v reflect.Value)

var (
	walkFuncs sync.Map   // reflect.Type → walkFunc
	walkMu    sync.Mutex // held while functions are made
)

// walkFor returns the walkFunc of t.
func walkFor(t reflect.Type) walkFunc {
	if f, ok := walkFuncs.Load(t); ok {
		return f.(walkFunc)
	}
	walkMu.Lock()
	defer walkMu.Unlock()
	made := map[reflect.Type]*walkFunc{}
	f := makeWalk(t, made)
	// Stored only once every function made is complete: a type that
	// contains itself calls its own through a pointer set last.
	for t, f := range made {
		walkFuncs.Store(t, *f)
	}
	return f
}

// makeWalk returns the walkFunc of t, making it and those of the types
// it contains (into made) when they are not stored yet.
func makeWalk(t reflect.Type, made map[reflect.Type]*walkFunc) walkFunc {
	if f, ok := walkFuncs.Load(t); ok {
		return f.(walkFunc)
	}
	if f, ok := made[t]; ok {
		return func(w *walker, v reflect.Value) { (*f)(w, v) }
	}
	f := new(walkFunc)
	made[t] = f
	*f = makeKindWalk(t, made)
	if isInput(t) {
		byKind := *f
		nilable := t.Kind() == reflect.Pointer || t.Kind() == reflect.Map || t.Kind() == reflect.Slice
		*f = func(w *walker, v reflect.Value) {
			if !v.CanInterface() {
				byKind(w, v)
				return
			}
			if nilable && v.IsNil() {
				w.u64(0)
				return
			}
			in := v.Interface().(Input)
			k := in.InputKey()
			w.str(k)
			w.u64(in.InputVersion())
			w.keys = append(w.keys, k)
		}
	}
	return *f
}

// makeKindWalk walks a value of t by its kind: what it holds.
func makeKindWalk(t reflect.Type, made map[reflect.Type]*walkFunc) walkFunc {
	switch t.Kind() {
	case reflect.Pointer:
		elem := makeWalk(t.Elem(), made)
		return func(w *walker, v reflect.Value) {
			if v.IsNil() {
				w.u64(0)
				return
			}
			w.u64(1)
			elem(w, v.Elem())
		}
	case reflect.Interface:
		return func(w *walker, v reflect.Value) {
			if v.IsNil() {
				w.u64(0)
				return
			}
			w.u64(1)
			e := v.Elem()
			w.str(e.Type().String())
			walkFor(e.Type())(w, e)
		}
	case reflect.Struct:
		if t == timeType {
			return func(w *walker, v reflect.Value) {
				tm := v.Interface().(time.Time)
				w.u64(uint64(tm.UnixNano()))
				_, off := tm.Zone()
				w.u64(uint64(off))
			}
		}
		fields := exportedFields(t, "", func(t reflect.Type) walkFunc { return makeWalk(t, made) })
		return func(w *walker, v reflect.Value) {
			for _, f := range fields {
				f.walk(w, v.Field(f.i))
			}
		}
	case reflect.Slice, reflect.Array:
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return func(w *walker, v reflect.Value) {
				w.u64(uint64(v.Len()))
				w.b = append(w.b, v.Bytes()...)
				w.flush()
			}
		}
		elem := makeWalk(t.Elem(), made)
		return func(w *walker, v reflect.Value) {
			w.u64(uint64(v.Len()))
			for i := range v.Len() {
				elem(w, v.Index(i))
			}
		}
	case reflect.Map:
		key, elem := makeWalk(t.Key(), made), makeWalk(t.Elem(), made)
		return func(w *walker, v reflect.Value) {
			w.u64(uint64(v.Len()))
			keys := v.MapKeys()
			slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
			for _, k := range keys {
				key(w, k)
				elem(w, v.MapIndex(k))
			}
		}
	case reflect.String:
		return func(w *walker, v reflect.Value) { w.str(v.String()) }
	case reflect.Bool:
		return func(w *walker, v reflect.Value) {
			if v.Bool() {
				w.u64(1)
			} else {
				w.u64(0)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(w *walker, v reflect.Value) { w.u64(uint64(v.Int())) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(w *walker, v reflect.Value) { w.u64(v.Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(w *walker, v reflect.Value) { w.u64(math.Float64bits(v.Float())) }
	default:
		// Functions and channels show nothing a template could print;
		// their type still tells two pages apart.
		name := t.String()
		return func(w *walker, v reflect.Value) { w.str(name) }
	}
}
