package msg

// Messages of the kiosk link (package puller).
const (
	PullerLinkLost     Key = "puller.link-lost"
	PullerBadBatches   Key = "puller.bad-batches"
	PullerWrongKiosk   Key = "puller.wrong-kiosk"
	PullerKioskFailed  Key = "puller.kiosk-failed"
	PullerHostile      Key = "puller.hostile"
	PullerStillSending Key = "puller.still-sending"
	PullerWhatHello    Key = "puller.what.hello"
	PullerWhatWaitHelo Key = "puller.what.wait-hello"
	PullerWhatDump     Key = "puller.what.dump"
	PullerWhatBatch    Key = "puller.what.batch"
	PullerWhatDrain    Key = "puller.what.drain"

	PullerBatchRejected Key = "puller.batch-rejected"
	PullerBatchSize     Key = "puller.batch-size"
	PullerGap           Key = "puller.gap"
	PullerEpochRestart  Key = "puller.epoch-restart"
	PullerLogReset      Key = "puller.log-reset"
	PullerLostInReset   Key = "puller.lost-in-reset"
	PullerWaitBack      Key = "puller.wait-back"
	PullerStaleSkipped  Key = "puller.stale-skipped"
	PullerQuarantined   Key = "puller.quarantined"

	PullerErrLink         Key = "puller.err.link"
	PullerErrNoComeBack   Key = "puller.err.no-come-back"
	PullerErrReconnect    Key = "puller.err.reconnect"
	PullerErrWrongKiosk   Key = "puller.err.wrong-kiosk"
	PullerErrBusy         Key = "puller.err.busy"
	PullerErrKiosk        Key = "puller.err.kiosk"
	PullerErrBadBatches   Key = "puller.err.bad-batches"
	PullerErrEpochOwn     Key = "puller.err.epoch-own"
	PullerErrEpochSame    Key = "puller.err.epoch-same"
	PullerErrEpochChurn   Key = "puller.err.epoch-churn"
	PullerErrDrain        Key = "puller.err.drain"
	PullerErrHello        Key = "puller.err.hello"
	PullerErrVersion      Key = "puller.err.version"
	PullerErrHelloVer     Key = "puller.err.hello-version"
	PullerErrStrayLines   Key = "puller.err.stray-lines"
	PullerErrNeverEnding  Key = "puller.err.never-ending"
	PullerErrMalformed    Key = "puller.err.malformed"
	PullerErrStillSending Key = "puller.err.still-sending"

	PullerBadLine       Key = "puller.bad.line"
	PullerBadMessage    Key = "puller.bad.message"
	PullerLineInBatch   Key = "puller.bad.line-in-batch"
	PullerGapOutOfPlace Key = "puller.bad.gap-out-of-place"
	PullerSeqSkip       Key = "puller.bad.seq-skip"
	PullerTooMany       Key = "puller.bad.too-many"
	PullerEndCount      Key = "puller.bad.end-count"
	PullerEndLast       Key = "puller.bad.end-last"
	PullerEndSum        Key = "puller.bad.end-sum"
	PullerBadRecord     Key = "puller.bad.record"
	PullerUnexpected    Key = "puller.bad.unexpected"
	ProtocolCRC         Key = "protocol.crc"
)

func init() {
	Register(map[Key]Text{
		PullerLinkLost:     {ZH: "与回收机的连接中断", EN: "link to the kiosk lost"},
		PullerBadBatches:   {ZH: "连续出错的批次过多", EN: "too many bad batches in a row"},
		PullerWrongKiosk:   {ZH: "应答的是另一台回收机", EN: "a different kiosk answered"},
		PullerKioskFailed:  {ZH: "回收机报告错误", EN: "the kiosk reported an error"},
		PullerStillSending: {ZH: "回收机仍在发送上一次拉取所要的批次", EN: "the kiosk is still sending a batch an earlier pull asked for"},
		PullerHostile:      {ZH: "回收机违反通信协议", EN: "the kiosk breaks the link protocol"},
		PullerWhatHello:    {ZH: "发送 HELLO", EN: "sending HELLO"},
		PullerWhatWaitHelo: {ZH: "等待 HELLO 的应答", EN: "waiting for the answer to HELLO"},
		PullerWhatDump:     {ZH: "发送 DUMP", EN: "sending DUMP"},
		PullerWhatBatch:    {ZH: "读取批次", EN: "reading a batch"},
		PullerWhatDrain:    {ZH: "跳过出错批次的剩余部分", EN: "skipping the rest of a rejected batch"},

		PullerBatchRejected: {
			ZH: "%[1]s：从 #%[2]d 起的批次未通过校验（%[3]v），重新请求",
			EN: "%[1]s: batch from #%[2]d rejected (%[3]v); asking again",
		},
		PullerBatchSize: {
			ZH: "%[1]s：每批改为 %[2]d 条记录",
			EN: "%[1]s: now asking for %[2]d records per batch",
		},
		PullerGap: {
			ZH: "%[1]s：缺口：记录 #%[2]d 至 #%[3]d 在拉取之前已被回收机覆盖",
			EN: "%[1]s: GAP: records #%[2]d to #%[3]d were overwritten by the kiosk before they were pulled",
		},
		PullerEpochRestart: {
			ZH: "%[1]s：拉取期间回收机日志被重置，按新的日志纪元重新开始",
			EN: "%[1]s: the kiosk's log was reset during the pull; starting over with the new epoch",
		},
		PullerLogReset: {
			ZH: "%[1]s：日志已重置：日志纪元 %[2]d 变为 %[3]d",
			EN: "%[1]s: log reset: epoch %[2]d is now %[3]d",
		},
		PullerLostInReset: {
			ZH: "%[1]s：日志纪元 %[4]d 的记录 #%[2]d 至 #%[3]d 在拉取之前随重置丢失",
			EN: "%[1]s: records #%[2]d to #%[3]d of epoch %[4]d were lost in the reset before they were pulled",
		},
		PullerWaitBack: {
			ZH: "%[1]s：%[2]v；最多等待 %[3]s 让它重新接入",
			EN: "%[1]s: %[2]v; waiting up to %[3]s for it to come back",
		},
		PullerQuarantined: {
			ZH: "%[1]s：%[2]d 条记录的时间不可能，已另存于 %[3]s/，不会发布：%[4]s",
			EN: "%[1]s: %[2]d records with impossible times kept apart in %[3]s/ and not published: %[4]s",
		},
		PullerStaleSkipped: {
			ZH: "跳过了上一次中断的拉取遗留的 %[1]d 行，用时 %[2]s",
			EN: "skipped %[1]d lines left over from an earlier, interrupted pull in %[2]s",
		},

		PullerErrLink: {
			ZH: "%[2]v：%[1]v（%[3]v）",
			EN: "%[1]v: %[2]v (%[3]v)",
		},
		PullerErrNoComeBack: {
			ZH: "%[1]s 在 %[2]s 内没有重新接入：%[3]v（%[4]v）",
			EN: "%[1]s did not come back within %[2]s: %[3]v (%[4]v)",
		},
		PullerErrReconnect: {
			ZH: "重新连接 %[1]s：%[2]v",
			EN: "reconnecting to %[1]s: %[2]v",
		},
		PullerErrWrongKiosk: {
			ZH: "应为回收机 %[1]s，应答的却是 %[2]s：%[3]v",
			EN: "expected kiosk %[1]s, got %[2]s: %[3]v",
		},
		PullerErrBusy: {
			ZH: "%[1]s：%[2]v：连续 %[3]d 次回答忙",
			EN: "%[1]s: %[2]v: busy for %[3]d tries",
		},
		PullerErrKiosk: {
			ZH: "%[1]s：%[2]v：%[3]v",
			EN: "%[1]s: %[2]v: %[3]v",
		},
		PullerErrBadBatches: {
			ZH: "%[1]s：%[2]v（每批 %[4]d 条时连续 %[3]d 次）；最后一次：%[5]v",
			EN: "%[1]s: %[2]v (%[3]d at %[4]d records per batch); last: %[5]v",
		},
		PullerErrEpochOwn: {
			ZH: "%[1]s：%[2]v：对日志纪元 %[3]d 的 DUMP 回答 ERR EPOCH %[4]s，而它的 HELLO 说的正是这个纪元",
			EN: "%[1]s: %[2]v: it answered ERR EPOCH %[4]s to a DUMP of epoch %[3]d, the epoch its HELLO reported",
		},
		PullerErrEpochSame: {
			ZH: "%[1]s：%[2]v：说日志纪元 %[3]d 已不是当前纪元，重新问候时却仍报告纪元 %[3]d",
			EN: "%[1]s: %[2]v: it said epoch %[3]d was no longer current, then greeted with epoch %[3]d again",
		},
		PullerErrEpochChurn: {
			ZH: "%[1]s：%[2]v：一次拉取中日志纪元变了 %[3]d 次（最多 %[4]d 次）",
			EN: "%[1]s: %[2]v: its log epoch changed %[3]d times during one pull (at most %[4]d)",
		},
		PullerErrDrain: {
			ZH: "%[1]s：%[2]v：批次出错后又发送了 %[3]d 行、持续 %[4]s 仍未停止",
			EN: "%[1]s: %[2]v: still sending after %[3]d lines and %[4]s following a rejected batch",
		},
		PullerErrHello: {
			ZH: "%[1]s 内没有得到对 HELLO 的有效应答（试了 %[2]d 次，跳过 %[3]d 行）：%[4]v",
			EN: "no valid answer to HELLO within %[1]s (%[2]d tries, %[3]d lines skipped): %[4]v",
		},
		PullerErrVersion: {
			ZH: "回收机不支持协议版本 %[1]d：%[2]v",
			EN: "the kiosk does not speak protocol version %[1]d: %[2]v",
		},
		PullerErrHelloVer: {
			ZH: "回收机应答的协议版本是 %[1]d，应为 %[2]d",
			EN: "the kiosk answered protocol version %[1]d, want %[2]d",
		},
		PullerErrStrayLines: {
			ZH: "%[1]s：%[2]v：批次前出现 %[3]d 行多余的应答",
			EN: "%[1]s: %[2]v: %[3]d stray answers before a batch",
		},
		PullerErrMalformed: {
			ZH: "%[1]s：%[2]v：连续 %[3]d 次发送校验和正确却无法解析的行（回收机软件故障，重试无用）；最后一次：%[4]v",
			EN: "%[1]s: %[2]v: %[3]d times in a row it sent lines with good checksums that do not parse (a kiosk software fault; retrying will not help); last: %[4]v",
		},
		PullerBadLine:       {ZH: "行已损坏：%[1]v", EN: "damaged line: %[1]v"},
		PullerBadMessage:    {ZH: "校验和正确但无法解析：%[1]v", EN: "good checksum, but it does not parse: %[1]v"},
		PullerLineInBatch:   {ZH: "批次中间出现 %[1]s 行", EN: "%[1]s line inside a batch"},
		PullerGapOutOfPlace: {ZH: "GAP #%[1]d-#%[2]d 出现的位置不对", EN: "GAP #%[1]d-#%[2]d out of place"},
		PullerSeqSkip:       {ZH: "收到记录 #%[1]d，应为 #%[2]d", EN: "record #%[1]d where #%[2]d was due"},
		PullerTooMany:       {ZH: "收到 %[1]d 条记录，只请求了 %[2]d 条", EN: "%[1]d records where %[2]d were asked for"},
		PullerEndCount:      {ZH: "END 说有 %[1]d 条记录，实际收到 %[2]d 条", EN: "END says %[1]d records, got %[2]d"},
		PullerEndLast:       {ZH: "END 说最后一条是 #%[1]d，实际是 #%[2]d", EN: "END says the last is #%[1]d, got #%[2]d"},
		PullerEndSum:        {ZH: "批次校验和为 %08[1]x，算得 %08[2]x", EN: "batch checksum %08[1]x, computed %08[2]x"},
		PullerBadRecord:     {ZH: "记录 #%[1]d：%[2]v", EN: "record #%[1]d: %[2]v"},
		PullerUnexpected:    {ZH: "意外的 %[1]s 行", EN: "unexpected %[1]s line"},
		ProtocolCRC:         {ZH: "行校验和不符（线路干扰）", EN: "line checksum mismatch"},
		PullerErrStillSending: {
			ZH: "%[1]v：%[2]s 内它没有应答 HELLO（跳过了 %[3]d 行）；等它发完再运行一次",
			EN: "%[1]v: it did not answer HELLO within %[2]s (%[3]d lines skipped); run again once it is done",
		},
		PullerErrNeverEnding: {
			ZH: "%[1]s：%[2]v：批次超过 %[3]d 行仍未结束",
			EN: "%[1]s: %[2]v: a batch went on for more than %[3]d lines",
		},
	})
}
