package content

import (
	"bytes"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// simpleFront reads front matter written the plain way nearly every story
// is: one "key: value" per line, values plain scalars or one-line flow
// lists of plain scalars ("tags: [a, b]"). It returns the mapping node that
// yaml.Unmarshal would, with the same values and lines, and false for
// anything else (quotes, block lists, comments, anchors, blank lines, tabs,
// CR, unusual characters), which then goes to the YAML parser. The YAML
// parser costs about as much as the rest of parsing a story together.
//
// Scalars are left untagged: read their tag with ShortTag, which resolves
// it as the YAML parser does (true is !!bool, ~ is !!null, …).
func simpleFront(front []byte) (*yaml.Node, bool) {
	if len(front) == 0 || front[len(front)-1] != '\n' {
		return nil, false
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	var keys [12]string
	nkeys := 0
	line := 0
	for rest := front; len(rest) > 0; {
		line++
		i := bytes.IndexByte(rest, '\n')
		l := rest[:i]
		rest = rest[i+1:]
		colon := bytes.IndexByte(l, ':')
		if colon <= 0 || !simpleKey(l[:colon]) {
			return nil, false
		}
		key := string(l[:colon])
		for _, k := range keys[:nkeys] {
			if k == key {
				return nil, false
			}
		}
		if nkeys == len(keys) {
			return nil, false
		}
		keys[nkeys] = key
		nkeys++
		v := l[colon+1:]
		start := 0
		for start < len(v) && v[start] == ' ' {
			start++
		}
		if start == 0 || start == len(v) {
			return nil, false
		}
		col := colon + 2 + start
		val, ok := simpleValue(v[start:], line, col)
		if !ok {
			return nil, false
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key, Line: line, Column: 1}, val)
	}
	return m, true
}

func simpleKey(k []byte) bool {
	for _, c := range k {
		if (c < 'a' || c > 'z') && c != '_' {
			return false
		}
	}
	return true
}

// simpleValue reads v, a whole value starting at column col.
func simpleValue(v []byte, line, col int) (*yaml.Node, bool) {
	if v[0] != '[' {
		if !plainScalar(v, false) {
			return nil, false
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Value: string(v), Line: line, Column: col}, true
	}
	if v[len(v)-1] != ']' {
		return nil, false
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line, Column: col}
	inner := v[1 : len(v)-1]
	if len(bytes.Trim(inner, " ")) == 0 {
		if len(inner) > 0 {
			return nil, false
		}
		return seq, true
	}
	off := 1
	for {
		item, after, more := bytes.Cut(inner, []byte{','})
		lead := 0
		for lead < len(item) && item[lead] == ' ' {
			lead++
		}
		text := bytes.TrimRight(item[lead:], " ")
		if len(text) == 0 || !plainScalar(text, true) {
			return nil, false
		}
		seq.Content = append(seq.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: string(text), Line: line, Column: col + off + lead})
		if !more {
			break
		}
		off += utf8.RuneCount(item) + 1 // YAML counts columns in characters
		inner = after
	}
	return seq, true
}

// plainScalar reports whether s is, as it stands, a plain YAML scalar in
// block context (or in a flow list, flow): no indicator first, no ": " or
// " #" inside, no space at either end, and only printable characters that
// YAML does not count as line breaks.
func plainScalar(s []byte, flow bool) bool {
	switch s[0] {
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', ' ':
		return false
	}
	if s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < ' ' || c == 0x7f:
				return false
			case c == ':' && (flow || s[i+1] == ' '):
				return false
			case c == '#' && s[i-1] == ' ':
				return false
			case flow && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}'):
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || r >= 0xfffe && r <= 0xffff {
			return false
		}
		i += size
	}
	return true
}
