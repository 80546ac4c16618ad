package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/store"
)

// registerMu keeps the kiosks of one `pull -all` from writing kiosks.yaml
// at once.
var registerMu sync.Mutex

// registerKiosk appends kiosk id to dir/kiosks.yaml as an unnamed kiosk
// (with its adapter's USB serial number if known), creating the file if
// there is none. Staff's comments and layout stay as they are: the entry
// is appended as text, and the result must parse with every kiosk listed
// before plus the new one, or nothing is written. The file is replaced
// whole (store.WriteFileAtomic).
func registerKiosk(dir, id, usbSerial string) (kiosklog.Kiosk, error) {
	registerMu.Lock()
	defer registerMu.Unlock()
	name := filepath.Join(dir, kiosklog.KiosksFile)
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return kiosklog.Kiosk{}, err
	}
	var before []kiosklog.Kiosk
	var buf bytes.Buffer
	if len(old) > 0 {
		if before, err = kiosklog.ParseKiosks(old, name); err != nil {
			return kiosklog.Kiosk{}, err
		}
		buf.Write(old)
		if !bytes.HasSuffix(old, []byte("\n")) {
			buf.WriteByte('\n')
		}
	} else {
		buf.WriteString("kiosks:\n")
	}
	// Staff read Chinese: the note they will edit by is in Chinese.
	fmt.Fprintf(&buf, "  # %s：由 kioskpull pull 自动登记。请在 compound 填写小区名称并删除 unnamed 一行；\n", id)
	fmt.Fprintf(&buf, "  # 在此之前网站显示为“%s (%s)”。\n", kiosklog.UnnamedCompound, id)
	fmt.Fprintf(&buf, "  - id: %s\n    compound: \"\"\n    unnamed: true\n", id)
	if usbSerial != "" {
		fmt.Fprintf(&buf, "    usb_serial: %s\n", strconv.Quote(usbSerial))
	}
	after, err := kiosklog.ParseKiosks(buf.Bytes(), name)
	if err != nil || len(after) != len(before)+1 || after[len(after)-1].ID != id {
		return kiosklog.Kiosk{}, fmt.Errorf("%s: appending kiosk %s would not parse as intended (is kiosks: the last list in the file?): %v", name, id, err)
	}
	if err := store.WriteFileAtomic(dir, kiosklog.KiosksFile, buf.Bytes(), false); err != nil {
		return kiosklog.Kiosk{}, err
	}
	return after[len(after)-1], nil
}
