package search

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The word list follows the pairs in the pairs file (at meta.json's
// "wordsAt"): the words of letters (Latin, Greek, Cyrillic) the site has,
// as a set of hashes, so that a word no page has (xyzzy) costs no shard.
// Each word is FNV-1a (as shards are picked) modulo "wmod", which is the
// number of words times 2^wordRice; the sorted, distinct codes are
// Rice-coded gaps as the pairs are ("words" of them, parameter "wrice"). A
// word the site lacks then looks present one time in 2^wordRice (256) and
// costs its shard as before; the list takes about wordRice+1.5 bits a
// word. Words with digits are left out, since numbers, dates and codes
// grow with the site while its vocabulary levels off; and a site of more
// than maxListWords words has no list ("wmod" 0), so that the file loaded
// with every search page stays under about 20 KB of words.
const (
	wordRice     = 8
	maxListWords = 1 << 14
)

// listed reports whether a token is of the kind the word list has: a word
// rather than Chinese, without digits.
func listed(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return class(r) == classWord && !strings.ContainsAny(t, "0123456789")
}

// wordCode is a word's number in the list of modulus mod.
func wordCode(t string, mod uint64) uint64 { return uint64(hashTerm(t)) % mod }

// encodeWords returns the word list of terms: its Rice code, the number of
// codes and the modulus (0 for no list).
func encodeWords(terms []term) (data []byte, n int, mod uint64) {
	count := 0
	for i := range terms {
		if listed(terms[i].text) {
			count++
		}
	}
	if count > maxListWords {
		return nil, 0, 0
	}
	mod = uint64(max(1, count)) << wordRice
	vs := make([]uint64, 0, count)
	for i := range terms {
		if listed(terms[i].text) {
			vs = append(vs, wordCode(terms[i].text, mod))
		}
	}
	slices.Sort(vs)
	vs = slices.Compact(vs)
	return encodeRice(vs, wordRice), len(vs), mod
}

// wordAbsent reports whether the word list shows that the site has no
// word t; false if t is not of the list's kind or the index has no list.
func (x *Index) wordAbsent(t string) bool {
	if x.wordMod == 0 || !listed(t) {
		return false
	}
	_, found := slices.BinarySearch(x.words, wordCode(t, x.wordMod))
	return !found
}
