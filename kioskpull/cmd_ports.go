package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"text/tabwriter"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
)

type portsCmd struct{ out string }

func (c *portsCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "ports", "[-out DIR]")
	fs.StringVar(&c.out, "out", defaultOut, m.P.Sprintf(msg.FlagPortsOut))
	return parseFlags(fs, args)
}

// readKiosks reads the store's kiosks.yaml; a store without one knows no
// kiosk yet.
func readKiosks(dir string) ([]kiosklog.Kiosk, error) {
	ks, err := kiosklog.ReadKiosks(os.DirFS(dir), ".")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return ks, err
}

func (c *portsCmd) run(ctx context.Context, m *Main) error {
	kiosks, err := readKiosks(c.out)
	if err != nil {
		return err
	}
	bySerial := map[string]kiosklog.Kiosk{}
	for _, k := range kiosks {
		if k.USBSerial != "" {
			bySerial[k.USBSerial] = k
		}
	}
	ports, err := m.ListPorts()
	if err != nil {
		return err
	}
	if len(ports) == 0 {
		fmt.Fprintln(m.Stdout, m.P.Sprintf(msg.PortsNone))
		return nil
	}
	tw := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, m.P.Sprintf(msg.PortsHeader))
	for _, p := range ports {
		id, kiosk := "-", "-"
		if p.IsUSB {
			id = p.VID + ":" + p.PID
		}
		if k, ok := bySerial[p.SerialNumber]; ok && p.IsUSB {
			kiosk = k.ID + " " + k.Compound
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", p.Path, id, orDash(p.SerialNumber), orDash(p.Product), kiosk)
	}
	return tw.Flush()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
