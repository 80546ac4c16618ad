package kiosklog

import (
	"bytes"
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"gongjian/gen/diag"
)

// KiosksFile is the name of the kiosk → compound mapping in the store folder.
const KiosksFile = "kiosks.yaml"

// PullFile is the name of each kiosk folder's freshness record.
const PullFile = "pull.yaml"

// Kiosk maps a kiosk to the residential compound it stands in, and says how
// to recognise its USB serial adapter.
type Kiosk struct {
	ID         string `yaml:"id"`
	Compound   string `yaml:"compound"`              // e.g. 玫瑰苑
	SampleName bool   `yaml:"sample_name,omitempty"` // the compound name is invented (示例)
	USBSerial  string `yaml:"usb_serial,omitempty"`  // USB serial number of the kiosk's adapter
	// Community is the village or community (村/社区) the compound
	// belongs to, as the residents' requests are registered by it (e.g.
	// 白浪社区); empty when not known. SampleCommunity marks one that is
	// invented (示例), as SampleName does the compound's name.
	Community       string `yaml:"community,omitempty"`
	SampleCommunity bool   `yaml:"sample_community,omitempty"`
	// Unnamed marks a kiosk that kioskpull registered when it first
	// pulled it: no one has named its compound yet. ParseKiosks gives it
	// the Compound UnnamedCompound + " (ID)", so the site shows it as such.
	Unnamed bool `yaml:"unnamed,omitempty"`
	// Line is the kiosk's line in kiosks.yaml, for errors about it.
	Line int `yaml:"-"`
}

// UnnamedCompound is how the site labels the compound of an unnamed kiosk.
const UnnamedCompound = "未命名小区"

// ParseKiosks parses a kiosks.yaml; errors are a diag.List of file name.
func ParseKiosks(data []byte, name string) ([]Kiosk, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, diag.List{diag.At(name, 0, err)}
	}
	var doc struct {
		Kiosks []yaml.Node `yaml:"kiosks"`
	}
	if err := root.Decode(&doc); err != nil {
		return nil, diag.List{diag.At(name, 0, err)}
	}
	if len(doc.Kiosks) == 0 {
		return nil, diag.List{diag.Errorf(name, max(root.Line, 1), "no kiosks listed (want a \"kiosks:\" list)")}
	}
	var kiosks []Kiosk
	var errs diag.List
	seen := map[string]int{}
	for _, n := range doc.Kiosks {
		var k Kiosk
		if err := decodeStrict(&n, &k); err != nil {
			errs.Add(diag.At(name, n.Line, err))
			continue
		}
		switch {
		case !ValidKioskID(k.ID):
			errs.Addf(name, n.Line, "id %q is not a valid kiosk id", k.ID)
		case seen[k.ID] > 0:
			errs.Addf(name, n.Line, "kiosk %q already listed at line %d", k.ID, seen[k.ID])
		case k.Unnamed && strings.TrimSpace(k.Compound) != "":
			errs.Addf(name, n.Line, "kiosk %q has a compound name and unnamed: true; delete the unnamed line", k.ID)
		case strings.TrimSpace(k.Compound) == "" && !k.Unnamed:
			errs.Addf(name, n.Line, "kiosk %q has no compound", k.ID)
		case k.SampleCommunity && strings.TrimSpace(k.Community) == "":
			errs.Addf(name, n.Line, "kiosk %q has sample_community: true but no community", k.ID)
		default:
			seen[k.ID] = n.Line
			k.Line = n.Line
			if k.Unnamed {
				k.Compound = UnnamedCompound + " (" + k.ID + ")"
			}
			kiosks = append(kiosks, k)
		}
	}
	return kiosks, errOf(errs)
}

// decodeStrict decodes a mapping node into v, refusing unknown keys.
func decodeStrict(n *yaml.Node, v any) error {
	out, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(out))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		// Line numbers in err are relative to the node: drop them.
		msg := err.Error()
		if i := strings.Index(msg, "line "); i >= 0 {
			if j := strings.Index(msg[i:], ": "); j >= 0 {
				msg = msg[:i] + msg[i+j+2:]
			}
		}
		return errors.New(strings.TrimPrefix(msg, "yaml: unmarshal errors:\n  "))
	}
	return nil
}

// ReadKiosks reads dir/kiosks.yaml; errors are a diag.List (errors.Is
// finds fs.ErrNotExist in it when there is no such file).
func ReadKiosks(fsys fs.FS, dir string) ([]Kiosk, error) {
	name := path.Join(dir, KiosksFile)
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, diag.List{diag.At(name, 0, diag.Cause(err))}
	}
	return ParseKiosks(data, name)
}

// Gap is a run of sequence numbers the kiosk had already overwritten when
// they were asked for: those deposits are lost for good.
type Gap struct {
	Epoch uint32 `yaml:"epoch"`
	From  uint64 `yaml:"from"`
	To    uint64 `yaml:"to"`
}

// Pull is a kiosk folder's freshness record (pull.yaml), rewritten at the
// end of every pull or import that reached the kiosk.
type Pull struct {
	Kiosk     string    `yaml:"kiosk"`
	LastPull  time.Time `yaml:"last_pull"`            // when data was last brought in (a pull or import storing nothing new leaves it)
	Source    string    `yaml:"source"`               // "pull" (serial link) or "import" (USB stick)
	Firmware  string    `yaml:"firmware,omitempty"`   // as the kiosk said in HELLO
	Epoch     uint32    `yaml:"epoch"`                // the kiosk's log epoch at that time
	LastSeq   uint64    `yaml:"last_seq"`             // last sequence number the kiosk held
	Complete  bool      `yaml:"complete"`             // everything the kiosk held is stored
	USBSerial string    `yaml:"usb_serial,omitempty"` // of the adapter pulled through
	Gaps      []Gap     `yaml:"gaps,omitempty"`       // every gap ever met, oldest first
}

// MarshalPull encodes p as YAML.
func MarshalPull(p Pull) ([]byte, error) {
	p.LastPull = p.LastPull.In(Location).Truncate(time.Second)
	return yaml.Marshal(p)
}

// ParsePull decodes a pull.yaml; errors are a diag.List of file name.
func ParsePull(data []byte, name string) (Pull, error) {
	var p Pull
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return p, diag.List{diag.At(name, 0, err)}
	}
	if !ValidKioskID(p.Kiosk) {
		return p, diag.List{diag.Errorf(name, 0, "kiosk %q is not a valid kiosk id", p.Kiosk)}
	}
	p.LastPull = p.LastPull.In(Location)
	return p, nil
}

// ReadPulls reads the pull.yaml of every kiosk folder under dir that has one,
// sorted by kiosk id. Problems come together as a diag.List.
func ReadPulls(fsys fs.FS, dir string) ([]Pull, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, diag.List{diag.At(dir, 0, diag.Cause(err))}
	}
	var pulls []Pull
	var errs diag.List
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		name := path.Join(dir, e.Name(), PullFile)
		data, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			errs.Add(diag.At(name, 0, diag.Cause(err)))
			continue
		}
		p, err := ParsePull(data, name)
		if err != nil {
			merge(&errs, name, err)
			continue
		}
		if p.Kiosk != e.Name() {
			errs.Addf(name, 0, "kiosk %q in the folder of kiosk %q", p.Kiosk, e.Name())
			continue
		}
		pulls = append(pulls, p)
	}
	slices.SortFunc(pulls, func(a, b Pull) int { return strings.Compare(a.Kiosk, b.Kiosk) })
	return pulls, errOf(errs)
}

// Log is everything under a store folder.
type Log struct {
	Kiosks    []Kiosk
	Records   []Record
	Pulls     []Pull
	Published []PublishedMonth // the publication ledger: one per closed month
}

// Load reads kiosks.yaml, every record, every pull.yaml and the
// publication ledger (published-MONTH.yaml) under dir. Every problem
// found is in the error, a diag.List, each at its file and line; whatever
// parsed is returned with it.
func Load(fsys fs.FS, dir string) (*Log, error) {
	var l Log
	var errs diag.List
	var err error
	l.Kiosks, err = ReadKiosks(fsys, dir)
	merge(&errs, path.Join(dir, KiosksFile), err)
	l.Records, err = ReadStore(fsys, dir)
	merge(&errs, dir, err)
	l.Pulls, err = ReadPulls(fsys, dir)
	merge(&errs, dir, err)
	l.Published, err = ReadPublished(fsys, dir)
	merge(&errs, dir, err)
	known := map[string]bool{}
	for _, k := range l.Kiosks {
		known[k.ID] = true
	}
	reported := map[string]bool{}
	for _, r := range l.Records {
		if len(l.Kiosks) > 0 && !known[r.Kiosk] && !reported[r.Kiosk] {
			reported[r.Kiosk] = true
			errs.Addf(path.Join(dir, KiosksFile), 0, "kiosk %q has records but is not listed", r.Kiosk)
		}
	}
	return &l, errOf(errs)
}
