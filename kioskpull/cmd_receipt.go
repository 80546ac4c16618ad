package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongjian/gen/kiosklog"
	"gongjian/kioskpull/msg"
)

type receiptCmd struct {
	out, kiosk string
	last       int
}

func (c *receiptCmd) parse(m *Main, args []string) error {
	fs := newFlags(m, "receipt", "[-kiosk K] [-last N] [-out DIR]")
	fs.StringVar(&c.out, "out", "data/kiosk", "store `folder`")
	fs.StringVar(&c.kiosk, "kiosk", "", "only this kiosk's pulls and imports")
	fs.IntVar(&c.last, "last", 1, "how many of the latest pulls and imports to list (1-10)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("receipt takes no arguments")
	}
	if c.last < 1 || c.last > maxReceiptEntries {
		return fmt.Errorf("-last must be 1..%d (a receipt is one page)", maxReceiptEntries)
	}
	if c.kiosk != "" && !kiosklog.ValidKioskID(c.kiosk) {
		return fmt.Errorf("-kiosk %q is not a kiosk id", c.kiosk)
	}
	return nil
}

// maxReceiptEntries and maxReceiptFiles keep a receipt to one page.
const (
	maxReceiptEntries = 10
	maxReceiptFiles   = 12
)

func (c *receiptCmd) run(ctx context.Context, m *Main) error {
	entries, lerr := kiosklog.ReadLedgerFile(os.DirFS(c.out), ".")
	ledger := filepath.Join(c.out, kiosklog.LedgerFile)
	if lerr != nil {
		// Sound lines are still worth a receipt; the problems are told.
		fmt.Fprintln(m.Stderr, msg.New(msg.LangFrom(m.Getenv)).Sprintf(msg.ReceiptLedgerProblems, lerr))
	}
	var picked []kiosklog.LedgerEntry
	for i := len(entries) - 1; i >= 0 && len(picked) < c.last; i-- {
		if c.kiosk == "" || entries[i].Kiosk == c.kiosk {
			picked = append(picked, entries[i])
		}
	}
	if len(picked) == 0 {
		if c.kiosk != "" {
			return msg.Errorf(msg.ReceiptNoEntryKiosk, ledger, c.kiosk)
		}
		return msg.Errorf(msg.ReceiptNoEntry, ledger)
	}
	for i, j := 0, len(picked)-1; i < j; i, j = i+1, j-1 {
		picked[i], picked[j] = picked[j], picked[i]
	}
	kiosks, err := readKiosks(c.out)
	if err != nil {
		kiosks = nil // the receipt names the compound where it can
	}
	writeReceipt(m.Stdout, picked, kiosks, ledger)
	if lerr != nil {
		return withCode(ExitFailure, lerr)
	}
	return nil
}

var (
	receiptSource = map[string]string{"pull": "数据线拉取", "import": "U盘导入", "verify": "数据检查修复（kioskpull verify -repair）"}
	receiptStatus = map[string]string{
		"complete": "完成", "incomplete": "未完成（再运行一次可续传）", "interrupted": "被中断（已存入的不受影响）", "failed": "失败",
	}
)

// writeReceipt prints the one-page Chinese receipt of entries (oldest
// first) that staff sign.
func writeReceipt(w io.Writer, entries []kiosklog.LedgerEntry, kiosks []kiosklog.Kiosk, ledger string) {
	rule := strings.Repeat("─", 36)
	fmt.Fprintf(w, "智能回收亭数据拉取回执\n%s\n", rule)
	for i, e := range entries {
		if i > 0 {
			fmt.Fprintln(w, strings.Repeat("┄", 36))
		}
		compound := compoundName(kiosks, e.Kiosk)
		if compound == "" {
			compound = "未登记小区"
		}
		fmt.Fprintf(w, "回收亭：%s（%s）\n", e.Kiosk, compound)
		fmt.Fprintf(w, "时间：%s（北京时间）\n", e.Time.In(kiosklog.Location).Format("2006-01-02 15:04:05"))
		status := receiptStatus[e.Status]
		if e.Source == "import" && e.Status == "incomplete" {
			status = "部分文件被拒（见导入时的错误信息），其余已存入"
		}
		fmt.Fprintf(w, "方式：%s    结果：%s\n", receiptSource[e.Source], status)
		fmt.Fprintf(w, "操作人：%s\n", e.Operator)
		if e.Source == "pull" {
			fmt.Fprintf(w, "回收亭日志：纪元 %d，回收亭计数 %d\n", e.Epoch, e.Counter)
		}
		fmt.Fprintf(w, "本次存入：%d 条%s\n", e.New, spansText(e.Stored))
		fmt.Fprintf(w, "重复跳过：%d 条    隔离（时间不可能）：%d 条\n", e.Duplicates, e.Quarantined)
		fmt.Fprintf(w, "丢失（回收亭已覆盖）：%d 条%s\n", e.LostCount(), spansText(e.Lost))
		fp := e.Fingerprint
		if fp == "" {
			fp = "（未记录）"
		}
		fmt.Fprintf(w, "密钥指纹：%s\n", fp)
		fmt.Fprintf(w, "写入文件（SHA-256 前 12 位）：%d 个\n", len(e.Files))
		for j, f := range e.Files {
			if j == maxReceiptFiles {
				fmt.Fprintf(w, "  ……另有 %d 个，完整清单见 %s\n", len(e.Files)-j, ledger)
				break
			}
			fmt.Fprintf(w, "  %-40s %s\n", f.Path, f.SHA256[:12])
		}
	}
	fmt.Fprintf(w, "%s\n拉取人签字：________________    日期：____________\n\n复核人签字：________________    日期：____________\n", rule)
}

// spansText says which sequence numbers spans hold: "（纪元 1：#1-#500、#1001-#3000）".
func spansText(ss []kiosklog.Span) string {
	if len(ss) == 0 {
		return ""
	}
	var parts []string
	for i, s := range ss {
		p := fmt.Sprintf("#%d", s.From)
		if s.To != s.From {
			p += fmt.Sprintf("-#%d", s.To)
		}
		if i == 0 || ss[i-1].Epoch != s.Epoch {
			p = fmt.Sprintf("纪元 %d：", s.Epoch) + p
		}
		parts = append(parts, p)
	}
	const most = 6
	if len(parts) > most {
		parts = append(parts[:most], fmt.Sprintf("……共 %d 段", len(ss)))
	}
	return "  （" + strings.Join(parts, "、") + "）"
}
