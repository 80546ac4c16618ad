package site

import (
	"encoding/binary"
	"github.com/cespare/xxhash/v2"
	"math"
	"reflect"
	"slices"
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
	w := walker{h: xxhash.New()}
	v := reflect.ValueOf(p).Elem()
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Name == "Body" {
			continue
		}
		w.str(f.Name)
		w.value(v.Field(i))
	}
	return w.h.Sum64(), w.keys
}

var (
	inputType = reflect.TypeFor[Input]()
	timeType  = reflect.TypeFor[time.Time]()
)

type walker struct {
	h    *xxhash.Digest
	buf  [8]byte
	keys []string
}

func (w *walker) u64(x uint64) {
	binary.LittleEndian.PutUint64(w.buf[:], x)
	w.h.Write(w.buf[:])
}

func (w *walker) str(s string) {
	w.u64(uint64(len(s)))
	w.h.WriteString(s)
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

var inputTypes sync.Map // reflect.Type → bool

func (w *walker) value(v reflect.Value) {
	t := v.Type()
	in, ok := inputTypes.Load(t)
	if !ok {
		in, _ = inputTypes.LoadOrStore(t, isInput(t))
	}
	if in.(bool) && v.CanInterface() {
		if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil() {
			w.u64(0)
			return
		}
		in := v.Interface().(Input)
		k := in.InputKey()
		w.str(k)
		w.u64(in.InputVersion())
		w.keys = append(w.keys, k)
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.u64(0)
			return
		}
		w.u64(1)
		if v.Kind() == reflect.Interface {
			w.str(v.Elem().Type().String())
		}
		w.value(v.Elem())
	case reflect.Struct:
		if v.Type() == timeType {
			tm := v.Interface().(time.Time)
			w.u64(uint64(tm.UnixNano()))
			_, off := tm.Zone()
			w.u64(uint64(off))
			return
		}
		t := v.Type()
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				w.value(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Uint8 {
			w.u64(uint64(v.Len()))
			w.h.Write(v.Bytes())
			return
		}
		w.u64(uint64(v.Len()))
		for i := range v.Len() {
			w.value(v.Index(i))
		}
	case reflect.Map:
		w.u64(uint64(v.Len()))
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.String() < b.String() {
				return -1
			}
			if a.String() > b.String() {
				return 1
			}
			return 0
		})
		for _, k := range keys {
			w.value(k)
			w.value(v.MapIndex(k))
		}
	case reflect.String:
		w.str(v.String())
	case reflect.Bool:
		if v.Bool() {
			w.u64(1)
		} else {
			w.u64(0)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.u64(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.u64(v.Uint())
	case reflect.Float32, reflect.Float64:
		w.u64(math.Float64bits(v.Float()))
	default:
		// Functions and channels show nothing a template could print;
		// their type still tells two pages apart.
		w.str(v.Type().String())
	}
}
