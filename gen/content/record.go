package content

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/diag"
)

// StoryRecord is a parsed story as gen build keeps it between runs, so
// that a story whose file has not changed need not be read and parsed
// again. It holds everything a Story holds but its body, which the few
// pages that render again read back with LoadBody.
type StoryRecord struct {
	File, Slug, Title, Summary string
	Date                       Instant
	Topics, Tags               []string
	Cover, CoverAlt            string
	CoverLine                  int
	Draft, Sample              bool
	Corrections                []CorrectionRecord
	Notes                      []NoteRecord
	BodyLine                   int
	Hash, FrontHash            uint64
	TopicLines, TagLines       []int
}

// CorrectionRecord is a Correction in a StoryRecord.
type CorrectionRecord struct {
	Date Instant
	Text string
	Line int
}

// NoteRecord is an editor's note in a StoryRecord.
type NoteRecord struct {
	File string
	Line int
	Msg  string
}

// Instant is a time with its zone's name and offset, so that a date read
// back prints as the one parsed did (an encoded time.Time forgets the
// zone's name).
type Instant struct {
	Nanos  int64
	Zone   string
	Offset int
	Set    bool
}

func instant(t time.Time) Instant {
	if t.IsZero() {
		return Instant{}
	}
	name, off := t.Zone()
	return Instant{Nanos: t.UnixNano(), Zone: name, Offset: off, Set: true}
}

func (in Instant) time() time.Time {
	if !in.Set {
		return time.Time{}
	}
	t := time.Unix(0, in.Nanos)
	zname, zoff := Zone.String(), 8*3600
	switch {
	case in.Zone == zname && in.Offset == zoff:
		return t.In(Zone)
	case in.Zone == "UTC" && in.Offset == 0:
		return t.UTC()
	}
	return t.In(time.FixedZone(in.Zone, in.Offset))
}

// Record is the story as gen build keeps it; only a story parsed without
// errors has one.
func (s *Story) Record() StoryRecord {
	r := StoryRecord{
		File: s.File, Slug: s.Slug, Title: s.Title, Summary: s.Summary, Date: instant(s.Date),
		Topics: s.Topics, Tags: s.Tags, Cover: s.Cover, CoverAlt: s.CoverAlt, CoverLine: s.CoverLine,
		Draft: s.Draft, Sample: s.Sample, BodyLine: s.BodyLine, Hash: s.Hash, FrontHash: s.FrontHash,
		TopicLines: s.topicLn, TagLines: s.tagLn,
	}
	for _, c := range s.Corrections {
		r.Corrections = append(r.Corrections, CorrectionRecord{Date: instant(c.Date), Text: c.Text, Line: c.Line})
	}
	for _, n := range s.Notes {
		r.Notes = append(r.Notes, NoteRecord{File: n.File, Line: n.Line, Msg: n.Msg})
	}
	return r
}

// Story is the story the record was made from, without its body: LoadBody
// reads it when a page needs it. It fails when the record cannot be one
// ParseStory made.
func (r StoryRecord) Story() (*Story, error) {
	if r.File == "" || len(r.TopicLines) != len(r.Topics) || len(r.TagLines) != len(r.Tags) {
		return nil, errors.New("story record: damaged")
	}
	s := &Story{
		File: r.File, Slug: r.Slug, Title: r.Title, Summary: r.Summary, Date: r.Date.time(),
		Topics: r.Topics, Tags: r.Tags, Cover: r.Cover, CoverAlt: r.CoverAlt, CoverLine: r.CoverLine,
		Draft: r.Draft, Sample: r.Sample, BodyLine: r.BodyLine, Hash: r.Hash, FrontHash: r.FrontHash,
		topicLn: r.TopicLines, tagLn: r.TagLines, lazy: true,
	}
	for _, c := range r.Corrections {
		s.Corrections = append(s.Corrections, Correction{Date: c.Date.time(), Text: c.Text, Line: c.Line})
	}
	for _, n := range r.Notes {
		s.Notes = append(s.Notes, &diag.Error{File: n.File, Line: n.Line, Msg: n.Msg})
	}
	s.finish()
	return s, nil
}

// ErrChanged says that a story's file no longer is the one its record was
// made from.
var ErrChanged = errors.New("the file changed during the build")

// LoadBody reads the body of a story made from a record (StoryRecord.Story),
// from the same file, which must still be the one the record was made from;
// for any other story it does nothing.
func (s *Story) LoadBody(fsys fs.FS) error {
	if !s.lazy {
		return nil
	}
	src, err := readSource(fsys, s.File)
	if err != nil {
		return err
	}
	if xxhash.Sum64(src) != s.Hash {
		return fmt.Errorf("%s: %w", s.File, ErrChanged)
	}
	p, errs := ParseStory(s.File, src)
	if err := errs.Err(); err != nil {
		return err
	}
	s.Body, s.lazy = p.Body, false
	return nil
}
