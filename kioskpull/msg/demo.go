package msg

// Messages of `kioskpull demo`.
const (
	FlagDemoOut    Key = "flag.demo-out"
	FlagDemoFaults Key = "flag.demo-faults"
	DemoBadStart   Key = "demo.bad-start"
	DemoThrowaway  Key = "demo.throwaway"
	DemoKey        Key = "demo.key"
	DemoSimFailed  Key = "demo.sim-failed"
	DemoUnthrottle Key = "demo.unthrottled"
	DemoBaud       Key = "demo.baud"
	DemoKiosk      Key = "demo.kiosk"
	DemoFaults     Key = "demo.faults"
	DemoPulling    Key = "demo.pulling"
	DemoEfficiency Key = "demo.efficiency"
	DemoSpoilt     Key = "demo.spoilt"
	DemoHolds      Key = "demo.holds"
	DemoPublish    Key = "demo.publish"
	DemoLeft       Key = "demo.left"
	DemoHeader     Key = "demo.header"
	DemoHidden     Key = "demo.hidden"
	CLIFullStop    Key = "cli.full-stop"
)

func init() {
	Register(map[Key]Text{
		FlagDemoOut:    {ZH: "拉取到的存储`文件夹`（默认新建一个临时文件夹）", EN: "store `folder` to pull into (default: a new temporary folder)"},
		FlagDemoFaults: {ZH: "让模拟回收机断线一次并加入线路干扰", EN: "let the simulated kiosk hang up once and add line noise"},
		DemoBadStart:   {ZH: "-start %[1]q 不是日期", EN: "-start %[1]q is not a date"},
		DemoThrowaway: {
			ZH: "1. %[1]s 没有站点密钥：本次演示使用临时密钥。\n   正式拉取前请用 `kioskpull keygen` 生成一个。",
			EN: "1. No site key at %[1]s: using a throwaway key for this demo.\n   For real pulls, make one with `kioskpull keygen`.",
		},
		DemoKey:        {ZH: "1. 站点密钥：%[1]s", EN: "1. Site key: %[1]s"},
		DemoSimFailed:  {ZH: "模拟回收机：%[1]v", EN: "simulated kiosk: %[1]v"},
		DemoUnthrottle: {ZH: "不限速", EN: "unthrottled"},
		DemoBaud:       {ZH: "%[1]d 波特", EN: "%[1]d baud"},
		DemoKiosk: {
			ZH: "2. 模拟回收机 %[1]s 在 %[2]s 上：%[3]d 次投放，日志纪元 %[4]d，%[5]s",
			EN: "2. Simulated kiosk %[1]s on %[2]s: %[3]d deposits, epoch %[4]d, %[5]s",
		},
		DemoFaults:     {ZH: "，带线路干扰并在中途断线一次（拉取会自行恢复）", EN: ", with line noise and one hang-up half way (the pull recovers)"},
		DemoPulling:    {ZH: "。\n3. 拉取到 %[1]s ……", EN: ".\n3. Pulling into %[1]s ..."},
		DemoEfficiency: {ZH: "   收到的字节中 %.1[1]f%% 是存下的记录；其余是线路开销", EN: "   %.1[1]f%% of the bytes received were records stored; the rest is line overhead"},
		DemoSpoilt:     {ZH: "以及被故障损坏而重发的批次", EN: " and batches spoilt by the faults, sent again"},
		DemoHolds: {
			ZH: "4. %[1]s 现有 %[2]d 条记录（卡号只以假名存放），另有 %[3]s。",
			EN: "4. %[1]s now holds %[2]d records (card numbers only as pseudonyms), plus %[3]s.",
		},
		DemoPublish: {
			ZH: "5. 这些月份结账后网站将公布的内容（按月份和品类的公斤数；户数少于 %[1]d 的隐藏）：",
			EN: "5. What the site would publish once these months close (kg by month and category; households, hidden below %[1]d):",
		},
		DemoLeft:    {ZH: "演示用的存储留在 %[1]s 供查看；看完请删除。", EN: "The demo store is left in %[1]s for you to look at; remove it when done."},
		DemoHeader:  {ZH: "月份\t塑料\t纸张\t金属\t玻璃\t电池\t积分\t户数\t", EN: "month\tplastic\tpaper\tmetal\tglass\tbattery\tpoints\thouseholds\t"},
		DemoHidden:  {ZH: "隐藏", EN: "hidden"},
		CLIFullStop: {ZH: "。", EN: "."},
	})
}
