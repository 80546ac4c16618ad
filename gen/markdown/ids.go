package markdown

import (
	"strconv"
	"unicode"

	"github.com/yuin/goldmark/ast"
)

// headingIDs makes heading ids from the heading text, keeping Chinese and
// other letters (goldmark's own generator keeps ASCII only, which would name
// every Chinese heading "heading"). Ids are stable: the same headings in the
// same order always get the same ids.
type headingIDs struct {
	used map[string]bool
	// reserved are ids of the page around the document; read only.
	reserved map[string]bool
	// next is, per id, the first suffix not yet tried: a story of n
	// headings with the same text costs n lookups, not n²/2.
	next map[string]int
}

func newHeadingIDs(reserved map[string]bool) *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}, reserved: reserved}
}

func (s *headingIDs) taken(id string) bool { return s.used[id] || s.reserved[id] }

// Generate implements parser.IDs.
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	id := Slugify(string(value))
	if id == "" {
		id = "section"
	}
	if !s.taken(id) {
		s.used[id] = true
		return []byte(id)
	}
	for n := max(2, s.next[id]); ; n++ {
		cand := id + "-" + strconv.Itoa(n)
		if !s.taken(cand) {
			s.used[cand] = true
			s.next[id] = n + 1
			return []byte(cand)
		}
	}
}

// Put implements parser.IDs.
func (s *headingIDs) Put(value []byte) { s.used[string(value)] = true }

// Slugify lower-cases ASCII letters, keeps letters and digits of any script,
// and joins runs of anything else with a single hyphen.
func Slugify(s string) string {
	out := make([]rune, 0, len(s))
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && len(out) > 0 {
				out = append(out, '-')
			}
			dash = false
			out = append(out, unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return string(out)
}
