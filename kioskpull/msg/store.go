package msg

// Messages about the store: a kiosk id given to other hardware.
const (
	PullerReplaced         Key = "puller.replaced"
	PullerReplacedEpoch    Key = "puller.replaced.epoch"
	PullerReplacedSeq      Key = "puller.replaced.seq"
	PullerReplacedSerial   Key = "puller.replaced.serial"
	PullerErrReplaced      Key = "puller.err.replaced"
	PullerLogReplaced      Key = "puller.log-replaced"
	ImportReplaced         Key = "usbexport.replaced"
	PullerErrEpochOffset   Key = "puller.err.epoch-offset"
	StoreTimeYear          Key = "store.time.year"
	StoreTimeEarly         Key = "store.time.early"
	StoreTimeAhead         Key = "store.time.ahead"
	StoreQuarantinedRecord Key = "store.quarantined-record"
	StoreMoreReasons       Key = "store.more-reasons"
	StoreLocked            Key = "store.locked"
	StoreErrLocked         Key = "store.err.locked"
	StoreKeyMismatch       Key = "store.key-mismatch"
	StoreErrKeyMismatch    Key = "store.err.key-mismatch"
)

func init() {
	Register(map[Key]Text{
		PullerReplaced: {
			ZH: "这台回收机不是之前以此编号拉取的那一台",
			EN: "the kiosk is not the one pulled before under this id",
		},
		PullerReplacedEpoch: {
			ZH: "它报告日志纪元 %[1]d，但之前已见过纪元 %[2]d，而回收机从不回到旧纪元",
			EN: "it says log epoch %[1]d, but epoch %[2]d was seen before and a kiosk never goes back to an old epoch",
		},
		PullerReplacedSeq: {
			ZH: "它在纪元 %[1]d 中只有到 #%[2]d 的记录，但已从这个编号保存到 #%[3]d",
			EN: "in epoch %[1]d it holds records up to #%[2]d, but records up to #%[3]d are already stored under its id",
		},
		PullerReplacedSerial: {
			ZH: "它接在 USB 适配器 %[1]s 上，上次拉取时是 %[2]s",
			EN: "it is on USB adapter %[1]s, the last pull was through %[2]s",
		},
		PullerErrReplaced: {
			ZH: "%[1]s：%[3]v：%[2]v。什么也没有保存。如果回收机换成了另一台设备，请加 -replaced kiosk 再运行：它的日志以新的纪元编号与旧机器的记录并存；如果只换了 USB 适配器，请加 -replaced adapter 再运行",
			EN: "%[1]s: %[3]v: %[2]v. Nothing was stored. If the kiosk was replaced by other hardware, run again with -replaced kiosk: its log is kept under new epoch numbers beside the old kiosk's records; if only its USB adapter changed, run again with -replaced adapter",
		},
		PullerLogReplaced: {
			ZH: "%[1]s：按确认换成了另一台回收机（%[2]v）：它的日志纪元 %[3]d 保存为纪元 %[4]d，与旧机器的记录并存",
			EN: "%[1]s: replacement kiosk, as confirmed (%[2]v): its log epoch %[3]d is stored as epoch %[4]d, beside the old kiosk's records",
		},
		PullerErrEpochOffset: {
			ZH: "%[1]s：日志纪元 %[2]d 加上更换回收机后的偏移 %[3]d 超出了纪元编号的范围（最大 4294967295）；什么也没有保存",
			EN: "%[1]s: log epoch %[2]d plus the offset %[3]d of a replaced kiosk is beyond the largest epoch number (4294967295); nothing was stored",
		},
		StoreTimeYear: {
			ZH: "时间在 %[1]d 年",
			EN: "time in the year %[1]d",
		},
		StoreTimeEarly: {
			ZH: "时间 %[1]s 早于第一台回收机投入使用的 %[2]s",
			EN: "time %[1]s is before %[2]s, when the first kiosk ran",
		},
		StoreTimeAhead: {
			ZH: "时间 %[1]s 比这台电脑的时钟（%[3]s）快了 %[2]s 以上",
			EN: "time %[1]s is more than %[2]s ahead of this computer's clock (%[3]s)",
		},
		StoreQuarantinedRecord: {
			ZH: "（%[1]s，纪元 %[2]d，#%[3]d）：%[4]v",
			EN: "(%[1]s, epoch %[2]d, #%[3]d): %[4]v",
		},
		StoreMoreReasons: {
			ZH: "……另有 %[1]d 条，见隔离文件夹中的文件",
			EN: "… and %[1]d more, see the files in the quarantine folder",
		},
		StoreLocked: {
			ZH: "另一个 kioskpull 正在写入这台回收机的文件夹",
			EN: "another kioskpull is writing the kiosk's folder",
		},
		StoreErrLocked: {
			ZH: "%[4]v：%[1]s 正由 %[2]s 写入；已等待 %[3]s，请等它结束后再运行",
			EN: "%[4]v: %[1]s is being written by %[2]s; waited %[3]s, run again when it is done",
		},
		StoreKeyMismatch: {
			ZH: "站点密钥不是制作这些数据时用的那把",
			EN: "the site key is not the one this data was made with",
		},
		StoreErrKeyMismatch: {
			ZH: "%[4]v：%[1]s 中的数据是用指纹为 %[2]s 的密钥制作的，而这把密钥的指纹是 %[3]s；请使用制作数据时的密钥（-key 文件 或 $GONGJIAN_KIOSK_KEY）",
			EN: "%[4]v: %[1]s holds data made with the site key of fingerprint %[2]s, but this key's fingerprint is %[3]s; use the key the data was made with (-key FILE or $GONGJIAN_KIOSK_KEY)",
		},
		ImportReplaced: {
			ZH: "%[1]s：这个编号已交给另一台回收机：导出文件中的纪元 E 保存为纪元 E+%[2]d（旧机器导出的U盘须在确认更换之前导入）",
			EN: "%[1]s: this id was given to a replacement kiosk: epoch E of the export is stored as epoch E+%[2]d (a stick exported by the old kiosk must be imported before the replacement is confirmed)",
		},
	})
}
