package msg

// Messages of `kioskpull sim` (also the simulated kiosk's flags of demo).
const (
	FlagSimKiosk      Key = "flag.sim.kiosk"
	FlagSimSeed       Key = "flag.sim.seed"
	FlagSimRecords    Key = "flag.sim.records"
	FlagSimStart      Key = "flag.sim.start"
	FlagSimDays       Key = "flag.sim.days"
	FlagSimHouseholds Key = "flag.sim.households"
	FlagSimBaud       Key = "flag.sim.baud"
	FlagSimNoise      Key = "flag.sim.noise"
	FlagSimEpoch      Key = "flag.sim.epoch"
	FlagSimRingFirst  Key = "flag.sim.ring-first"
	FlagSimPerLine    Key = "flag.sim.per-line"
	FlagSimHangup     Key = "flag.sim.hangup-after"
	FlagSimHangupB    Key = "flag.sim.hangup-after-bytes"
	FlagSimReset      Key = "flag.sim.reset-after"
	FlagSimPort       Key = "flag.sim.port"
	FlagSimPathFile   Key = "flag.sim.path-file"
	FlagSimExport     Key = "flag.sim.export"
	FlagSimGB18030    Key = "flag.sim.gb18030"
	FlagSimHostile    Key = "flag.sim.hostile"

	SimBadKiosk   Key = "sim.bad-kiosk"
	SimBadStart   Key = "sim.bad-start"
	SimBadHostile Key = "sim.bad-hostile"
	SimExported   Key = "sim.exported"
	SimServing    Key = "sim.serving"
	SimHungUp     Key = "sim.hung-up"
)

func init() {
	Register(map[Key]Text{
		FlagSimKiosk:      {ZH: "回收机`编号`", EN: "kiosk `id`"},
		FlagSimSeed:       {ZH: "生成日志用的随机`种子`", EN: "random `seed` of the generated log"},
		FlagSimRecords:    {ZH: "日志中的投放次数", EN: "how many deposits the log holds"},
		FlagSimStart:      {ZH: "第一次投放的`日期`", EN: "`date` of the first deposit"},
		FlagSimDays:       {ZH: "投放分布的天数", EN: "deposits spread over this many days"},
		FlagSimHouseholds: {ZH: "使用该回收机的积分卡数", EN: "points cards using the kiosk"},
		FlagSimBaud:       {ZH: "限速到这个波特`率`（0：不限速）", EN: "throttle to this baud `rate` (0: as fast as the link goes)"},
		FlagSimNoise:      {ZH: "每行被翻转一位的`概率`", EN: "`probability` that a line gets a flipped bit"},
		FlagSimEpoch:      {ZH: "日志`纪元`", EN: "log `epoch`"},
		FlagSimRingFirst:  {ZH: "环形缓冲区从这个`序号`起保存记录（更早的已被覆盖）", EN: "ring buffer holds records from this `seq` on (earlier ones overwritten)"},
		FlagSimPerLine:    {ZH: "每个 R 行的记录数（默认 16）", EN: "records per R line (default 16)"},
		FlagSimHangup:     {ZH: "发送这么多条`记录`后断线一次", EN: "hang up once after this many `records`"},
		FlagSimHangupB:    {ZH: "发送这么多`字节`后断线一次", EN: "hang up once after this many `bytes`"},
		FlagSimReset:      {ZH: "发送这么多条`记录`后重置日志（新纪元）一次并断线", EN: "reset the log (new epoch) once after this many `records`, and hang up"},
		FlagSimPort:       {ZH: "在这个串口`路径`上服务，而不是新建伪终端", EN: "serve on this serial port `path` instead of a new pseudo-terminal"},
		FlagSimPathFile:   {ZH: "同时把伪终端的路径写入这个`文件`", EN: "also write the pseudo-terminal's path to this `file`"},
		FlagSimExport:     {ZH: "把日志写成U盘导出`文件`后退出", EN: "write the log as a USB-stick export `file` and exit"},
		FlagSimGB18030:    {ZH: "与 -export 合用：GB18030 编码、中文列名", EN: "with -export: GB18030 with Chinese column names"},
		FlagSimHostile: {
			ZH: "违反协议的`方式`（测试用）：epoch-loop（对 DUMP 回答自己的 ERR EPOCH）、junk（坏批次后无休止发送垃圾行）、bad-card（校验和正确但卡号不合规的记录）",
			EN: "break the protocol this `way` (for tests): epoch-loop (ERR EPOCH with its own epoch to every DUMP), junk (a bad batch, then junk lines for ever), bad-card (a record with a bad card number and a good checksum)",
		},

		SimBadKiosk:   {ZH: "-kiosk %[1]q 不是有效的回收机编号", EN: "-kiosk %[1]q is not a valid kiosk id"},
		SimBadStart:   {ZH: "-start %[1]q 不是日期（YYYY-MM-DD）", EN: "-start %[1]q is not a date (YYYY-MM-DD)"},
		SimBadHostile: {ZH: "-hostile 须为 epoch-loop、junk 或 bad-card", EN: "-hostile must be epoch-loop, junk or bad-card"},
		SimExported:   {ZH: "已把回收机 %[2]s 日志纪元 %[3]d 的 %[1]d 条记录导出到 %[4]s", EN: "exported %[1]d records of kiosk %[2]s epoch %[3]d to %[4]s"},
		SimServing:    {ZH: "回收机 %[1]s（日志纪元 %[2]d，记录 %[3]d-%[4]d）在 %[5]s 上服务", EN: "kiosk %[1]s (epoch %[2]d, records %[3]d-%[4]d) serving on %[5]s"},
		SimHungUp:     {ZH: "回收机 %[1]s 断线（故障模拟）；重新接入", EN: "kiosk %[1]s hung up (fault); plugging back in"},
	})
}
