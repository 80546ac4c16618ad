package search

// runeTable maps characters to values: an array for the Basic
// Multilingual Plane, where the index's hot paths look a character up per
// character of every document, and a map for the rest. A character not
// set has the zero value.
type runeTable[T comparable] struct {
	bmp    []T
	astral map[rune]T
}

func newRuneTable[T comparable]() *runeTable[T] {
	return &runeTable[T]{bmp: make([]T, 0x10000), astral: map[rune]T{}}
}

func (t *runeTable[T]) at(r rune) T {
	if r >= 0 && r < 0x10000 {
		return t.bmp[r]
	}
	return t.astral[r]
}

func (t *runeTable[T]) set(r rune, v T) {
	if r >= 0 && r < 0x10000 {
		t.bmp[r] = v
	} else {
		t.astral[r] = v
	}
}

// each calls fn for every character whose value is not the zero value,
// those of the Basic Multilingual Plane in order first.
func (t *runeTable[T]) each(fn func(r rune, v T)) {
	var zero T
	for r, v := range t.bmp {
		if v != zero {
			fn(rune(r), v)
		}
	}
	for r, v := range t.astral {
		if v != zero {
			fn(r, v)
		}
	}
}
