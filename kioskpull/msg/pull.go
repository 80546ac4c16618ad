package msg

// Messages of `kioskpull pull`, `status` and `ports`.
const (
	CLIFlagUsage Key = "cli.flag-usage"
	CLIOutNoRepo Key = "cli.out-no-repo"

	FlagPort     Key = "flag.port"
	FlagSerial   Key = "flag.serial"
	FlagAll      Key = "flag.all"
	FlagOut      Key = "flag.out"
	FlagBatch    Key = "flag.batch"
	FlagWait     Key = "flag.wait"
	FlagTimeout  Key = "flag.timeout"
	FlagProgress Key = "flag.progress"
	FlagOverdue  Key = "flag.overdue"
	FlagRegister Key = "flag.register"
	FlagPortsOut Key = "flag.ports-out"

	PullOneTarget   Key = "pull.one-target"
	PullBadBatch    Key = "pull.bad-batch-flag"
	PullBadProgress Key = "pull.bad-progress-flag"
	PullNoKiosk     Key = "pull.no-kiosk"
	PullUSBSerial   Key = "pull.usb-serial"
	PullWhere       Key = "pull.where"

	PullSummary        Key = "pull.summary"
	PullRate           Key = "pull.rate"
	PullNoGaps         Key = "pull.no-gaps"
	PullGaps           Key = "pull.gaps"
	PullGapRange       Key = "pull.gap-range"
	PullBadBatches     Key = "pull.bad-batches"
	PullSmallerBatches Key = "pull.smaller-batches"
	PullReconnects     Key = "pull.reconnects"
	PullQuarantined    Key = "pull.quarantined"
	PullComplete       Key = "pull.complete"
	PullStoppedEarly   Key = "pull.stopped-early"
	PullIncomplete     Key = "pull.incomplete"
	PullFailed         Key = "pull.failed"

	PullErrNoPort      Key = "pull.err.no-port"
	PullErrPortDenied  Key = "pull.err.port-denied"
	PullErrPortBusy    Key = "pull.err.port-busy"
	PullErrPort        Key = "pull.err.port"
	PullErrDiskFull    Key = "pull.err.disk-full"
	PullErrReadOnly    Key = "pull.err.read-only"
	PullErrStoreDenied Key = "pull.err.store-denied"

	RegisterDone      Key = "register.done"
	RegisterFailed    Key = "register.failed"
	RegisterNotListed Key = "register.not-listed"

	ProgressMeasuring  Key = "progress.measuring"
	ProgressConnecting Key = "progress.connecting"
	ProgressRate       Key = "progress.rate"
	ProgressETA        Key = "progress.eta"
	ProgressDone       Key = "progress.done"
	ProgressFailed     Key = "progress.failed"
	ProgressNothing    Key = "progress.nothing"
	ProgressBegin      Key = "progress.begin"
	DurSeconds         Key = "dur.s"
	DurMinutes         Key = "dur.ms"
	DurHours           Key = "dur.hm"
	DurDays            Key = "dur.d"

	StatusBadOverdue       Key = "status.bad-overdue"
	StatusNone             Key = "status.none"
	StatusHeader           Key = "status.header"
	StatusNever            Key = "status.never"
	StatusOK               Key = "status.ok"
	StatusOverdue          Key = "status.overdue"
	StatusNoComplete       Key = "status.no-complete"
	StatusComplete         Key = "status.complete"
	StatusIncompleteResult Key = "status.incomplete-result"
	StatusInterrupted      Key = "status.interrupted"
	StatusFailedResult     Key = "status.failed-result"
	StatusSourcePull       Key = "status.source-pull"
	StatusSourceImport     Key = "status.source-import"
	StatusSeq              Key = "status.seq"
	StatusOverdueCount     Key = "status.overdue-count"
	StatusHoursAgo         Key = "status.hours-ago"
	StatusDaysAgo          Key = "status.days-ago"

	PortsNone   Key = "ports.none"
	PortsHeader Key = "ports.header"
)

func init() {
	Register(map[Key]Text{
		CLIFlagUsage: {ZH: "用法：kioskpull %[1]s %[2]s", EN: "usage: kioskpull %[1]s %[2]s"},
		CLIOutNoRepo: {
			ZH: "这里没有 %[1]s 文件夹，也不在 gongjian 仓库的顶层文件夹（没有 data/）：请到仓库顶层运行，或用 -out 指定存储文件夹",
			EN: "there is no %[1]s folder here and this is not the top folder of the gongjian repository (no data/): run kioskpull there, or name the store folder with -out",
		},

		FlagPort:     {ZH: "回收机的串口`路径`（如 /dev/ttyUSB0）", EN: "serial port `path` of the kiosk (e.g. /dev/ttyUSB0)"},
		FlagSerial:   {ZH: "回收机 USB 转接器的序列`号`", EN: "USB serial `number` of the kiosk's adapter"},
		FlagAll:      {ZH: "同时拉取所有已接入、USB 序列号列在 kiosks.yaml 中的回收机", EN: "pull every kiosk plugged in whose USB serial number is in kiosks.yaml, at once"},
		FlagOut:      {ZH: "存储`文件夹`（默认 data/kiosk，须已存在或在仓库顶层运行）", EN: "store `folder` (default data/kiosk, which must exist or be run from the repository's top folder)"},
		FlagBatch:    {ZH: "每批最多的记录数（线路有干扰时自动减小）", EN: "most records per batch (shrinks by itself on a noisy line)"},
		FlagWait:     {ZH: "回收机被拔下后等待它重新接入的时长", EN: "how long to wait for an unplugged kiosk to come back"},
		FlagTimeout:  {ZH: "等待回收机应答的时长", EN: "how long to wait for the kiosk to answer"},
		FlagProgress: {ZH: "进度条：auto（终端上显示）、on 或 off", EN: "progress bar: auto (on a terminal), on or off"},
		FlagOverdue:  {ZH: "超过这么久未拉取即标为逾期", EN: "flag a kiosk as overdue when its last pull is older than this"},
		FlagPortsOut: {ZH: "存储`文件夹`，其中的 kiosks.yaml 列出各回收机的 USB 序列号", EN: "store `folder` whose kiosks.yaml names the kiosks' USB serial numbers"},
		FlagRegister: {ZH: "把 kiosks.yaml 中没有的回收机登记进去（名称留空，网站显示为未命名小区）", EN: "register a kiosk missing from kiosks.yaml (unnamed; the site shows 未命名小区)"},

		PullOneTarget:   {ZH: "-port、-serial 和 -all 须且只能给出一个", EN: "give exactly one of -port, -serial or -all"},
		PullBadBatch:    {ZH: "-batch 须在 1 到 100000 之间", EN: "-batch must be 1..100000"},
		PullBadProgress: {ZH: "-progress 须为 auto、on 或 off", EN: "-progress must be auto, on or off"},
		PullNoKiosk: {
			ZH: "没有接入回收机：%[1]d 个串口中没有一个的 USB 序列号列在 %[2]s 中（见 `kioskpull ports`）",
			EN: "no kiosk plugged in: none of %[1]d serial ports has a USB serial number listed in %[2]s (see `kioskpull ports`)",
		},
		PullUSBSerial: {ZH: "USB 序列号 %[1]s", EN: "USB serial %[1]s"},
		PullWhere:     {ZH: "%[1]s：%[2]v", EN: "%[1]s: %[2]v"},

		PullSummary: {
			ZH: "%[1]s：新记录 %[2]d 条，跳过重复 %[3]d 条，%[4]s，用时 %[5]s%[6]s",
			EN: "%[1]s: %[2]d new records, %[3]d duplicates skipped, %[4]s, %[5]s%[6]s",
		},
		PullRate:     {ZH: "，每秒 %.0[1]f 条", EN: ", %.0[1]f records/s"},
		PullNoGaps:   {ZH: "没有缺口", EN: "no gaps"},
		PullGaps:     {ZH: "缺口 %[1]d 处，丢失记录 %[2]d 条（%[3]s）", EN: "%[1]d gaps, %[2]d records lost (%[3]s)", EN1: "%[1]d gap, %[2]d records lost (%[3]s)"},
		PullGapRange: {ZH: "日志纪元 %[1]d #%[2]d-#%[3]d", EN: "epoch %[1]d #%[2]d-#%[3]d"},
		PullBadBatches: {
			ZH:  "，%[1]d 个出错批次已重新请求",
			EN:  ", %[1]d bad batches asked again",
			EN1: ", %[1]d bad batch asked again",
		},
		PullSmallerBatches: {ZH: "（每批最少降到 %[1]d 条）", EN: " (batches down to %[1]d records)"},
		PullReconnects:     {ZH: "，重新连接 %[1]d 次", EN: ", %[1]d reconnects", EN1: ", %[1]d reconnect"},
		PullQuarantined:    {ZH: "，%[1]d 条时间不可能的记录已隔离", EN: ", %[1]d records with impossible times quarantined"},
		PullComplete:       {ZH: "；已完整拉取到日志纪元 %[2]d 的 #%[1]d", EN: "; complete up to #%[1]d of epoch %[2]d"},
		PullStoppedEarly:   {ZH: "；回收机在日志纪元 %[1]d 提前停止", EN: "; the kiosk stopped early at epoch %[1]d"},
		PullIncomplete:     {ZH: "；未完成，再运行一次即可续传（已提交的批次都保留）", EN: "; INCOMPLETE, run again to resume (committed batches are kept)"},
		PullFailed:         {ZH: "；失败，先排除下面的问题再运行（已提交的批次都保留）", EN: "; FAILED: fix the problem below before running again (committed batches are kept)"},

		PullErrNoPort: {
			ZH: "没有串口 %[1]s：检查数据线是否插好，用 `kioskpull ports` 查看现有的串口",
			EN: "there is no serial port %[1]s: check the cable, and see `kioskpull ports` for the ports there are",
		},
		PullErrPortDenied: {
			ZH: "无权打开串口 %[1]s：把自己加入 dialout 组（sudo usermod -aG dialout $USER），然后注销并重新登录",
			EN: "permission denied opening serial port %[1]s: add yourself to the dialout group (sudo usermod -aG dialout $USER), then log out and in again",
		},
		PullErrPortBusy: {
			ZH: "串口 %[1]s 正被另一个程序使用：先关闭它（另一个 kioskpull、串口终端等）",
			EN: "serial port %[1]s is in use by another program: close it first (another kioskpull, a serial terminal)",
		},
		PullErrPort: {ZH: "串口 %[1]s：%[2]v", EN: "serial port %[1]s: %[2]v"},
		PullErrDiskFull: {
			ZH: "磁盘已满，无法写入存储文件夹：先腾出空间（%[1]v）",
			EN: "the disk is full, the store folder cannot be written: free some space first (%[1]v)",
		},
		PullErrReadOnly: {
			ZH: "存储文件夹在只读的文件系统上：换一个可写的位置，或重新以读写方式挂载（%[1]v）",
			EN: "the store folder is on a read-only file system: use a writable place, or mount it read-write (%[1]v)",
		},
		PullErrStoreDenied: {
			ZH: "无权写入存储文件夹：检查它的所有者和权限（%[1]v）",
			EN: "permission denied writing the store folder: check its owner and permissions (%[1]v)",
		},

		RegisterDone: {
			ZH: "注意：回收机 %[1]s 不在 %[2]s 中，已登记为未命名小区；请打开该文件填写小区名称（见 kioskpull/README.md）",
			EN: "warning: kiosk %[1]s was not in %[2]s; registered it with an unnamed compound: open the file and name it (see kioskpull/README.md)",
		},
		RegisterFailed: {
			ZH: "注意：回收机 %[1]s 不在 %[2]s 中，而且无法自动登记（%[3]v）；请手工添加，否则网站无法生成",
			EN: "warning: kiosk %[1]s is not in %[2]s and could not be registered (%[3]v): add it by hand, or the site build fails",
		},
		RegisterNotListed: {
			ZH: "注意：回收机 %[1]s 不在 %[2]s 中（-register=false）；请手工添加，否则网站无法生成",
			EN: "warning: kiosk %[1]s is not in %[2]s (-register=false): add it by hand, or the site build fails",
		},

		ProgressMeasuring:  {ZH: "测速中", EN: "measuring"},
		ProgressConnecting: {ZH: "正在连接", EN: "connecting"},
		ProgressRate:       {ZH: "每秒 %.0[1]f 条", EN: "%.0[1]f records/s"},
		ProgressETA:        {ZH: "约剩 %[1]s", EN: "ETA %[1]s"},
		ProgressDone:       {ZH: "完成，用时 %[1]s", EN: "done in %[1]s"},
		ProgressFailed:     {ZH: "失败：%[1]v", EN: "failed: %[1]v"},
		ProgressNothing:    {ZH: "没有新记录", EN: "nothing new"},
		ProgressBegin:      {ZH: "待拉取 %[1]d 条", EN: "%[1]d records to pull"},
		DurSeconds:         {ZH: "%[1]d秒", EN: "%[1]ds"},
		DurMinutes:         {ZH: "%[1]d分%02[2]d秒", EN: "%[1]dm%02[2]ds"},
		DurDays:            {ZH: "%[1]d天", EN: "%[1]d days", EN1: "%[1]d day"},
		DurHours:           {ZH: "%[1]d小时%02[2]d分", EN: "%[1]dh%02[2]dm"},

		StatusBadOverdue:       {ZH: "-overdue 须大于 0", EN: "-overdue must be more than 0"},
		StatusNone:             {ZH: "%[1]s 中还没有回收机", EN: "no kiosks in %[1]s yet"},
		StatusHeader:           {ZH: "回收机\t小区\t最近拉取\t距今\t方式\t结果\t回收机记录\t状态", EN: "KIOSK\tCOMPOUND\tLAST PULL\tAGO\tBY\tRESULT\tKIOSK HELD\tSTATUS"},
		StatusNever:            {ZH: "从未拉取", EN: "never pulled"},
		StatusOK:               {ZH: "正常", EN: "ok"},
		StatusOverdue:          {ZH: "逾期（超过 %[1]s 未完整拉取）", EN: "OVERDUE (no complete pull for over %[1]s)"},
		StatusNoComplete:       {ZH: "需要拉取（从未完整拉取）", EN: "NEEDS PULLING (never pulled completely)"},
		StatusComplete:         {ZH: "完整", EN: "complete"},
		StatusIncompleteResult: {ZH: "未完成", EN: "incomplete"},
		StatusInterrupted:      {ZH: "被中断", EN: "interrupted"},
		StatusFailedResult:     {ZH: "失败", EN: "failed"},
		StatusSourcePull:       {ZH: "数据线", EN: "cable"},
		StatusSourceImport:     {ZH: "U盘", EN: "USB stick"},
		StatusSeq:              {ZH: "至 #%[1]d（纪元 %[2]d）", EN: "to #%[1]d (epoch %[2]d)"},
		StatusOverdueCount:     {ZH: "%[2]d 台回收机中有 %[1]d 台需要拉取", EN: "%[1]d of %[2]d kiosks need pulling", EN1: "%[1]d of %[2]d kiosks needs pulling"},
		StatusHoursAgo:         {ZH: "%[1]d 小时前", EN: "%[1]d hours ago", EN1: "%[1]d hour ago"},
		StatusDaysAgo:          {ZH: "%[1]d 天前", EN: "%[1]d days ago", EN1: "%[1]d day ago"},

		PortsNone:   {ZH: "没有串口", EN: "no serial ports"},
		PortsHeader: {ZH: "串口\tUSB 标识\t序列号\t产品\t回收机", EN: "PORT\tUSB ID\tSERIAL\tPRODUCT\tKIOSK"},
	})
}
