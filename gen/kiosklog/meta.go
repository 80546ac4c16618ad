package kiosklog

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
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
	// Unnamed marks a kiosk that kioskpull registered when it first
	// pulled it: no one has named its compound yet. ParseKiosks gives it
	// the Compound UnnamedCompound + " (ID)", so the site shows it as such.
	Unnamed bool `yaml:"unnamed,omitempty"`
}

// UnnamedCompound is how the site labels the compound of an unnamed kiosk.
const UnnamedCompound = "未命名小区"

// ParseKiosks parses a kiosks.yaml; errors read "name:line: what".
func ParseKiosks(data []byte, name string) ([]Kiosk, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	var doc struct {
		Kiosks []yaml.Node `yaml:"kiosks"`
	}
	if err := root.Decode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if len(doc.Kiosks) == 0 {
		return nil, fmt.Errorf("%s:%d: no kiosks listed (want a \"kiosks:\" list)", name, max(root.Line, 1))
	}
	var kiosks []Kiosk
	var errs []error
	seen := map[string]int{}
	for _, n := range doc.Kiosks {
		at := fmt.Sprintf("%s:%d", name, n.Line)
		var k Kiosk
		if err := decodeStrict(&n, &k); err != nil {
			errs = append(errs, fmt.Errorf("%s: %v", at, err))
			continue
		}
		switch {
		case !ValidKioskID(k.ID):
			errs = append(errs, fmt.Errorf("%s: id %q is not a valid kiosk id", at, k.ID))
		case seen[k.ID] > 0:
			errs = append(errs, fmt.Errorf("%s: kiosk %q already listed at line %d", at, k.ID, seen[k.ID]))
		case k.Unnamed && strings.TrimSpace(k.Compound) != "":
			errs = append(errs, fmt.Errorf("%s: kiosk %q has a compound name and unnamed: true; delete the unnamed line", at, k.ID))
		case strings.TrimSpace(k.Compound) == "" && !k.Unnamed:
			errs = append(errs, fmt.Errorf("%s: kiosk %q has no compound", at, k.ID))
		default:
			seen[k.ID] = n.Line
			if k.Unnamed {
				k.Compound = UnnamedCompound + " (" + k.ID + ")"
			}
			kiosks = append(kiosks, k)
		}
	}
	return kiosks, errors.Join(errs...)
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

// ReadKiosks reads dir/kiosks.yaml.
func ReadKiosks(fsys fs.FS, dir string) ([]Kiosk, error) {
	name := path.Join(dir, KiosksFile)
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("kiosklog: %w", err)
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

// ParsePull decodes a pull.yaml; name is used in errors.
func ParsePull(data []byte, name string) (Pull, error) {
	var p Pull
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return p, fmt.Errorf("%s: %v", name, err)
	}
	if !ValidKioskID(p.Kiosk) {
		return p, fmt.Errorf("%s: kiosk %q is not a valid kiosk id", name, p.Kiosk)
	}
	p.LastPull = p.LastPull.In(Location)
	return p, nil
}

// ReadPulls reads the pull.yaml of every kiosk folder under dir that has one,
// sorted by kiosk id.
func ReadPulls(fsys fs.FS, dir string) ([]Pull, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("kiosklog: %w", err)
	}
	var pulls []Pull
	var errs []error
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
			errs = append(errs, fmt.Errorf("kiosklog: %w", err))
			continue
		}
		p, err := ParsePull(data, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if p.Kiosk != e.Name() {
			errs = append(errs, fmt.Errorf("%s: kiosk %q in the folder of kiosk %q", name, p.Kiosk, e.Name()))
			continue
		}
		pulls = append(pulls, p)
	}
	slices.SortFunc(pulls, func(a, b Pull) int { return strings.Compare(a.Kiosk, b.Kiosk) })
	return pulls, errors.Join(errs...)
}

// Log is everything under a store folder.
type Log struct {
	Kiosks    []Kiosk
	Records   []Record
	Pulls     []Pull
	Published []PublishedMonth // the publication ledger: one per closed month
}

// Load reads kiosks.yaml, every record, every pull.yaml and the
// publication ledger (published-MONTH.yaml) under dir.
// All errors found are joined; whatever parsed is returned with them.
func Load(fsys fs.FS, dir string) (*Log, error) {
	var l Log
	var errs []error
	var err error
	if l.Kiosks, err = ReadKiosks(fsys, dir); err != nil {
		errs = append(errs, err)
	}
	if l.Records, err = ReadStore(fsys, dir); err != nil {
		errs = append(errs, err)
	}
	if l.Pulls, err = ReadPulls(fsys, dir); err != nil {
		errs = append(errs, err)
	}
	if l.Published, err = ReadPublished(fsys, dir); err != nil {
		errs = append(errs, err)
	}
	known := map[string]bool{}
	for _, k := range l.Kiosks {
		known[k.ID] = true
	}
	reported := map[string]bool{}
	for _, r := range l.Records {
		if len(l.Kiosks) > 0 && !known[r.Kiosk] && !reported[r.Kiosk] {
			reported[r.Kiosk] = true
			errs = append(errs, fmt.Errorf("%s: kiosk %q has records but is not listed", path.Join(dir, KiosksFile), r.Kiosk))
		}
	}
	return &l, errors.Join(errs...)
}
