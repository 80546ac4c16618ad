package msg

// Messages of closing months (kioskpull close, and after every pull and
// import).
const (
	CloseAlready       Key = "close.already"
	CloseNotEnded      Key = "close.not-ended"
	CloseNoRecords     Key = "close.no-records"
	CloseWould         Key = "close.would"
	CloseMeanwhile     Key = "close.meanwhile"
	CloseDone          Key = "close.done"
	CloseSummary       Key = "close.summary"
	CloseTotal         Key = "close.total"
	CloseTotalHidden   Key = "close.total-hidden"
	CloseNothing       Key = "close.nothing"
	CloseOpen          Key = "close.open"
	CloseNeverReported Key = "close.never-reported"
	CloseReportedUpTo  Key = "close.reported-up-to"
	CloseLate          Key = "close.late"
	CloseStoreErrors   Key = "close.store-errors"
	CloseNotStore      Key = "close.not-store"
	CloseWarning       Key = "close.warning"
	CloseBadMonth      Key = "close.bad-month"
	CloseMismatch      Key = "close.mismatch"
	CloseTotalName     Key = "close.total-name"
)

func init() {
	Register(map[Key]Text{
		CloseAlready: {
			ZH: "%s 已于 %s 结账（%s），已公布的数字保持不变",
			EN: "%s was closed on %s (%s); its published figures stay as they are",
		},
		CloseNotEnded: {
			ZH: "%s 还没有结束（%s 结束）：月份结束后才能结账",
			EN: "%s has not ended yet (it ends %s): a month closes only after its end",
		},
		CloseNoRecords: {
			ZH: "%s 在 %s 中没有任何记录，无需结账",
			EN: "%s has no records in %s: nothing to close",
		},
		CloseWould: {
			ZH: "%s 可以结账：%s",
			EN: "%s would close: %s",
		},
		CloseMeanwhile: {
			ZH: "%s 刚刚被另一个 kioskpull 结账，数字以它冻结的为准",
			EN: "%s was closed meanwhile by another kioskpull; its figures stay as that one froze them",
		},
		CloseDone: {
			ZH: "%s 已结账：%s；已冻结在 %s",
			EN: "%s closed: %s; frozen in %s",
		},
		CloseSummary: {
			ZH: "%d 台回收亭，公布 %d 个小区户数，隐藏 %d 个，%s",
			EN: "%d kiosks, %d household counts published, %d hidden, %s",
		},
		CloseTotal: {
			ZH: "合计 %d 户",
			EN: "total %d households",
		},
		CloseTotalHidden: {
			ZH: "合计不公开",
			EN: "total hidden",
		},
		CloseNothing: {
			ZH: "没有可以结账的月份",
			EN: "no month is ready to close",
		},
		CloseOpen: {
			ZH: "%s 仍在统计中：还在等 %s；拉取这些回收亭，或用 `kioskpull close %s` 结账",
			EN: "%s stays open (统计中): waiting for %s; pull them, or close it with `kioskpull close %s`",
		},
		CloseNeverReported: {
			ZH: "%s（从未报送）",
			EN: "%s (never reported)",
		},
		CloseReportedUpTo: {
			ZH: "%s（已报送到 %s）",
			EN: "%s (reported up to %s)",
		},
		CloseLate: {
			ZH: "%s：%s：回收亭 %s 在该月结账时有 %d 条记录（结账于 %s），现在有 %d 条；网站仍按结账时的户数公布",
			EN: "%s: %s: %s had %d records of the month when it closed on %s and has %d now; the site keeps publishing the household figures as closed",
		},
		CloseStoreErrors: {
			ZH: "存储有错误，没有结账任何月份：%v",
			EN: "no month closed, the store has errors: %v",
		},
		CloseNotStore: {
			ZH: "%s 不是回收亭数据目录（没有 %s）",
			EN: "%s is not a kiosk store (no %s)",
		},
		CloseBadMonth: {
			ZH: "%q 不是月份，应写作 2026-05 这样的格式",
			EN: "%q is not a month like 2026-05",
		},
		CloseMismatch: {
			ZH: "%s：%s：%s与已存记录算出的不一致，而结账后并没有新记录：文件是否被改过？网站照文件公布",
			EN: "%s: %s: %s differs from what the stored records give, though no record came after the month closed: was the file edited? The site publishes the file as it is",
		},
		CloseTotalName: {
			ZH: "合计",
			EN: "the month total",
		},
		CloseWarning: {
			ZH: "kioskpull：警告：%s",
			EN: "kioskpull: warning: %s",
		},
	})
}
