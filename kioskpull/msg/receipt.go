package msg

// Messages of kioskpull receipt.
const (
	ReceiptNoEntry        Key = "receipt.no-entry"
	ReceiptNoEntryKiosk   Key = "receipt.no-entry-kiosk"
	ReceiptLedgerProblems Key = "receipt.ledger-problems"
)

func init() {
	Register(map[Key]Text{
		ReceiptNoEntry: {
			ZH: "%s 里还没有任何拉取或导入记录",
			EN: "%s records no pull or import yet",
		},
		ReceiptNoEntryKiosk: {
			ZH: "%s 里没有回收亭 %s 的拉取或导入记录",
			EN: "%s records no pull or import of kiosk %s",
		},
		ReceiptLedgerProblems: {
			ZH: "kioskpull：拉取记录有问题（其余各行照常使用）：\n%v",
			EN: "kioskpull: the pull ledger has problems (its sound lines are used):\n%v",
		},
	})
}
