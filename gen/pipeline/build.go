package pipeline

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cespare/xxhash/v2"

	"gongjian/gen/content"
	"gongjian/gen/diag"
	"gongjian/gen/internal/dirfs"
	"gongjian/gen/internal/hugeheap"
	"gongjian/gen/output"
	"gongjian/gen/search"
)

// lockWait bounds how long a build waits for another build of the same
// site to finish.
const lockWait = 2 * time.Minute

var errBusy = errors.New("another gen build of this site is running (its lock is held)")

// Build loads, checks and renders the site at opt.Src into opt.Out. When
// anything fails, opt.Out is left exactly as it was.
//
// It keeps a record of what it built in opt.CacheDir (see record). The
// next build, unless opt.Full, reads again only the source files that
// changed, renders again only the pages they reach, and patches opt.Out
// with the files that differ (output.Patch); with no usable record it
// writes the whole site beside opt.Out and swaps it in.
func Build(ctx context.Context, opt Options) (Stats, error) {
	start := time.Now()
	opt = opt.withDefaults()
	var (
		stats Stats
		err   error
	)
	if !haveRecords {
		stats, err = buildWhole(ctx, opt, func() map[string]stamp { return nil }, 0)
	} else {
		stats, err = buildLocked(ctx, opt)
	}
	stats.Elapsed = time.Since(start)
	return stats, err
}

// buildLocked builds holding the lock of the site's record folder, when
// it exists: a build that patches the output folder must be alone. The
// first build of a site makes the folder, once it has written the site:
// a build that fails leaves no trace.
func buildLocked(ctx context.Context, opt Options) (Stats, error) {
	dir := recordDir(opt)
	if _, err := os.Stat(dir); err == nil {
		unlock, err := lockRecord(dir, lockWait)
		if err != nil {
			return Stats{}, fmt.Errorf("cache %s: %w", opt.CacheDir, err)
		}
		defer unlock()
	}
	// The stamps are taken while the record loads, or while a full build
	// reads the sources. That is safe because scanned is taken before
	// either reads anything: a file changed after it has times at or after
	// scanned, and changedSince counts it as changed next time whatever
	// its stamp (racyWindow).
	scanned := time.Now().UnixNano()
	type stamped struct {
		stamps map[string]stamp
		err    error
	}
	stampc := make(chan stamped, 1)
	go func() {
		st, err := stampSources(opt.Src)
		stampc <- stamped{st, err}
	}()
	// stamps waits for the stamps once; nil if they could not be taken.
	stamps := sync.OnceValue(func() map[string]stamp {
		taken := <-stampc
		if taken.err != nil {
			opt.Logf("note: full build, and no record kept: %v", taken.err)
		}
		return taken.stamps
	})
	if !opt.Full {
		restoreGC := lazierGC(recordSize(opt))
		heap := hugeheap.Resident()
		rec, release, why := loadRecord(opt)
		var (
			stats Stats
			err   error
			tried bool
		)
		if rec != nil {
			if stamps() != nil {
				stats, err = buildFrom(ctx, opt, rec, stamps(), scanned, heap)
				tried = true
			}
			release()
		}
		restoreGC()
		if tried {
			var list diag.List
			var refused *output.RefusedError
			switch {
			case err == nil:
				return stats, nil
			case errors.As(err, &list), errors.As(err, &refused), ctx.Err() != nil:
				// What is wrong is in the sources or the output folder:
				// a full build would say the same.
				return Stats{}, err
			}
			why = err.Error()
		}
		if why != "" {
			opt.Logf("note: full build: %s", why)
		}
	}
	return buildWhole(ctx, opt, stamps, scanned)
}

// lazierGC leaves collecting to the memory limit until restore is
// called, for a build from a record of recordBytes: the collector is off
// (GOGC=off) where a soft limit is set (gen/internal/memlimit sets one
// from the machine's memory) and the build's heap should stay well under
// it, so that the collector does not run at all; else it runs at
// GOGC=200. A GOGC the caller set wins. A build from a record keeps most
// of what it allocates to its end (the record's stories, page states and
// search memory): the cycles the default runs as the heap grows from
// nothing free little and slow the goroutines that allocate. make
// bench-site shows the gain after one story changed; a full build gains
// nothing and takes more memory, so it keeps the default.
func lazierGC(recordBytes int64) (restore func()) {
	old := debug.SetGCPercent(lazyGCPercent(debug.SetMemoryLimit(-1), recordBytes))
	if old != 100 {
		debug.SetGCPercent(old) // GOGC, or a caller, chose
		return func() {}
	}
	return func() { debug.SetGCPercent(old) }
}

// lazyGCPercent is the GOGC of a build from a record of recordBytes
// under the soft memory limit limit (math.MaxInt64: none).
func lazyGCPercent(limit, recordBytes int64) int {
	if limit < math.MaxInt64 && recordBytes <= limit/heapPerRecordByte {
		return -1
	}
	return 200
}

// heapPerRecordByte bounds the memory a build from a record takes with
// the collector off, in bytes a byte of the record. After one story
// changed, make bench-site measured 146 MiB of peak RSS on 10,000
// stories (a 37 MB record: 4 bytes a byte), and 1,891 MiB on 100,000,
// against 1,652 with the collector on, as the heap grew to the limit: a
// record past limit/heapPerRecordByte has the collector on.
const heapPerRecordByte = 8

// buildWhole builds the whole site beside opt.Out and swaps it in, and
// keeps a record of it when stamps are given.
func buildWhole(ctx context.Context, opt Options, stamps func() map[string]stamp, scanned int64) (Stats, error) {
	dir, err := output.Create(opt.Out, opt.Src)
	if err != nil {
		return Stats{}, fmt.Errorf("write: %w", err)
	}
	// The heap grows into huge pages as soon as the stamps say how large
	// the stories are, while the build reads them.
	go func() { hugeheap.Grow(fullHeap(stamps())) }()
	ss := newSession(dirfs.New(opt.Src), opt, false)
	sw := &sumWriter{w: dir, sums: map[string]uint64{}}
	ss.w = sw
	res, err := ss.Update(ctx, nil)
	if err != nil {
		_ = dir.Abort()
		return Stats{}, err
	}
	// The index was written from every page's text, and its documents
	// summed meanwhile.
	ss.docs = ss.e.indexSum
	if ss.docs == 0 {
		ss.docs = docsSum(ss.SearchDocs())
	}
	ss.e.logNotes(ss.model.Content)
	files := dir.Files()
	slices.Sort(files)
	// The record is written while the folder is put in place.
	var pending *pendingRecord
	if st := stamps(); st != nil {
		pending = startKeep(opt, ss, st, scanned)
		completeKeep(pending, ss, files, sw.sums)
	}
	if err := dir.Commit(); err != nil {
		if pending != nil {
			pending.abort()
		}
		_ = dir.Abort()
		return Stats{}, fmt.Errorf("write: %w", err)
	}
	if pending != nil {
		finishKeep(opt, pending, dir.Generation(), 0)
	}
	stats := Stats{Stories: len(ss.model.Content.Stories), Pages: len(ss.pages), Files: len(files), Rendered: res.Pages, Written: len(files), Indexed: ss.index.w.Tokenized()}
	prunePhotos(opt, ss)
	return stats, nil
}

// fullHeap is how much of its heap a full build of the sources stamps
// has in huge pages (hugeheap.Grow): its stories make most of that heap,
// and it is fullHeapPerByte times their Markdown, less than make
// bench-site's cold build grows to; the rest grows in small pages.
func fullHeap(stamps map[string]stamp) int64 {
	var n int64
	for p, st := range stamps {
		if strings.HasSuffix(p, ".md") {
			n += st.Size
		}
	}
	return n * fullHeapPerByte
}

const fullHeapPerByte = 4

// buildFrom builds the site from the record of the last build: the
// session takes up the record's state, updates with the sources whose
// stamps changed, and the output folder is patched with what differs. Any
// error that is not the sources' (a diag.List) or the output folder's (an
// *output.RefusedError) means the record cannot serve, and the build is a
// full one; opt.Out is untouched until the patch, which is all or nothing.
// heap is the heap's resident memory (hugeheap.Resident) before the
// record was loaded: the record keeps how much the build added.
func buildFrom(ctx context.Context, opt Options, rec *record, stamps map[string]stamp, scanned, heap int64) (Stats, error) {
	if output.Generation(opt.Out) != rec.Gen || rec.Gen == "" {
		return Stats{}, errors.New("the output folder is not the one the record describes")
	}
	fsys := dirfs.New(opt.Src)
	ss := newSession(fsys, opt, false)
	ss.prefetchTheme(rec.Lang)
	if err := ss.resume(rec); err != nil {
		return Stats{}, err
	}
	changed := changedSince(rec.Stamps, stamps, rec.Scanned)
	res, err := ss.Update(ctx, changed)
	if err != nil {
		var list diag.List
		if errors.As(err, &list) {
			return Stats{}, err
		}
		return Stats{}, fmt.Errorf("the record cannot serve: %w", err)
	}
	write := res.Files
	remove := res.Removed
	sums := maps.Clone(rec.Sums)
	// The index is made from the documents alone: when they are as they
	// were, so is every file of it. The head of the record is written
	// meanwhile, on another core.
	keyed, searched := ss.SearchDocs()
	pending := startKeep(opt, ss, stamps, scanned)
	ss.docs = docsSum(keyed, searched)
	var (
		index   map[string][]byte
		gone    []string
		indexed int
	)
	if ss.docs == 0 || ss.docs != rec.Docs {
		index, gone, err = ss.index.Files(keyed, searched)
		if err != nil {
			pending.abort()
			return Stats{}, fmt.Errorf("search index: %w", err)
		}
		indexed = ss.index.w.Tokenized()
	}
	maps.Copy(write, index)
	remove = append(remove, gone...)
	for p, data := range write {
		sum := xxhash.Sum64(data)
		if old, ok := sums[p]; ok && old == sum {
			delete(write, p)
			continue
		}
		sums[p] = sum
	}
	for _, p := range remove {
		delete(sums, p)
	}
	files := rec.Files
	if len(write) > 0 || len(remove) > 0 {
		files = output.Patched(rec.Files, write, remove)
	}
	ss.e.logNotes(ss.model.Content)
	// The rest of the record is written while the folder is patched.
	completeKeep(pending, ss, files, sums)
	gen := rec.Gen
	if len(write) > 0 || len(remove) > 0 {
		if gen, err = output.Patch(opt.Out, opt.Src, rec.Gen, rec.Files, write, remove); err != nil {
			pending.abort()
			return Stats{}, err
		}
	}
	finishKeep(opt, pending, gen, hugeheap.Resident()-heap)
	prunePhotos(opt, ss)
	return Stats{Stories: len(ss.model.Content.Stories), Pages: len(ss.pages), Files: len(files), Rendered: res.Pages, Written: len(write) + len(remove), Indexed: indexed}, nil
}

// prunePhotos removes from the photo cache what the build did not use. The
// build saw every photo the site uses (one from a record processes again
// those that pages it did not render show): the rest is photos since
// removed or edited.
func prunePhotos(opt Options, ss *Session) {
	if n, err := ss.e.albums.Prune(); err != nil {
		opt.Logf("warning: photo cache: %v", err)
	} else if n > 0 {
		opt.Logf("photo cache: removed %d files no page uses", n)
	}
}

// docsSum identifies the documents of a search index (Keyed.Sum), and
// whether there is one: 1 for none, 0 when they cannot be hashed.
func docsSum(docs search.Keyed, ok bool) uint64 {
	if !ok {
		return 1
	}
	sum, err := docs.Sum()
	if err != nil {
		return 0 // unknown: the index is made again
	}
	return docsKey(sum)
}

// docsKey is docsSum for documents whose Keyed.Sum is sum.
func docsKey(sum uint64) uint64 { return max(2, sum) }

// startKeep starts writing the record of a build, of the session, on
// another goroutine; completeKeep gives the rest, of the search index and
// the output files and their sums, and finishKeep ends it. Nothing may
// change the session from startKeep on but its search index, until
// completeKeep, and then nothing until finishKeep.
func startKeep(opt Options, ss *Session, stamps map[string]stamp, scanned int64) *pendingRecord {
	return startRecord(opt, func() *record {
		rec := ss.record()
		rec.Stamps, rec.Scanned = stamps, scanned
		return rec
	})
}

// completeKeep gives the pending record of ss the output files and
// their sums, and the search index.
func completeKeep(p *pendingRecord, ss *Session, files []string, sums map[string]uint64) {
	p.complete(func(rec *record) { ss.recordTail(rec, files, sums) })
}

// recordTail sets what rec holds of the search index, and the output
// files and their sums.
func (ss *Session) recordTail(rec *record, files []string, sums map[string]uint64) {
	rec.Files, rec.Sums = files, sums
	rec.Index = nil
	for p := range ss.index.last {
		rec.Index = append(rec.Index, p)
	}
	slices.Sort(rec.Index)
	mem := ss.index.w.Memory()
	rec.indexMemo = &mem
	rec.Docs = ss.docs
}

// finishKeep ends the record with the generation of the output folder
// and the heap the build ended with (record.Heap); when it cannot, it
// removes the old record, which no longer describes the folder.
func finishKeep(opt Options, p *pendingRecord, gen string, heap int64) {
	if err := p.finish(gen, heap); err != nil {
		dropRecord(opt)
		opt.Logf("warning: cannot keep the record of this build (the next one is a full build): %v", err)
	}
}

// sumWriter passes files on to w and keeps the hash of each.
type sumWriter struct {
	w    Writer
	mu   sync.Mutex
	sums map[string]uint64
}

func (s *sumWriter) WriteFile(p string, data []byte) error {
	sum := xxhash.Sum64(data)
	s.mu.Lock()
	s.sums[p] = sum
	s.mu.Unlock()
	return s.w.WriteFile(p, data)
}

// record is the session's state in a record, without what only Build
// knows (stamps, the output folder's generation and files) and the search
// index (completeKeep).
func (ss *Session) record() *record {
	rec := &record{
		Pages:    ss.pages,
		Outputs:  ss.outputs,
		Theme:    ss.theme,
		Site:     ss.site,
		Lang:     ss.lang,
		Features: map[string][]byte{},
	}
	rec.Stories = make([]content.StoryRecord, 0, len(ss.files))
	for _, f := range ss.files {
		if p := ss.parsed[f]; p.Story != nil && len(p.Errs) == 0 {
			rec.Stories = append(rec.Stories, p.Story.Record())
		}
	}
	for p := range ss.photos {
		rec.Photos = append(rec.Photos, p)
	}
	slices.Sort(rec.Photos)
	rec.Outside = map[string]uint64{}
	for _, f := range ss.e.features() {
		if k, ok := f.(keeper); ok {
			rec.keep = append(rec.keep, namedKeeper{featureName(f), k})
		}
		if o, ok := f.(outsider); ok {
			rec.Outside[featureName(f)] = o.Version()
		}
	}
	return rec
}

// resume takes up the state of a record, before the session's first
// update: that update reads only the files given as changed, as if the
// session had built the site the record describes.
func (ss *Session) resume(rec *record) error {
	if rec.Site == 0 && rec.Lang == "" {
		return errors.New("the record is empty")
	}
	files := make([]string, 0, len(rec.stories))
	for _, st := range rec.stories {
		ss.parsed[st.File] = content.Parsed{Story: st}
		files = append(files, st.File)
	}
	// Story files that did not parse have no record: read them again.
	for p := range rec.Stamps {
		if content.IsStoryFile(p) {
			if _, ok := ss.parsed[p]; !ok {
				ss.parsed[p] = content.ReadStory(ss.fsys, p)
				files = append(files, p)
			}
		}
	}
	slices.Sort(files)
	ss.files = files
	ss.loaded, ss.resumed = true, true
	ss.pages = rec.Pages
	ss.sums = map[string]uint64{}
	for _, p := range rec.Outputs {
		if _, page := rec.Pages[p]; !page {
			if s, ok := rec.Sums[p]; ok {
				ss.sums[p] = s
			}
		}
	}
	ss.outputs = rec.Outputs
	ss.theme = rec.Theme
	ss.site, ss.lang, ss.haveSite = rec.Site, rec.Lang, true
	ss.photos = map[string]bool{}
	for _, p := range rec.Photos {
		ss.photos[p] = true
	}
	ss.index.last = map[string]bool{}
	if err := ss.index.w.Recall(rec.IndexMemo); err != nil {
		return err
	}
	for _, p := range rec.Index {
		ss.index.last[p] = true
	}
	ss.kept = rec.Features
	ss.outside = rec.Outside
	return nil
}
