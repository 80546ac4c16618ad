package msg

// Messages of the kioskpull command line as a whole.
const (
	CLIError          Key = "cli.error"
	CLIUnknownCommand Key = "cli.unknown-command"
	CLIUsage          Key = "cli.usage"
	CLINoKey          Key = "cli.no-key"
	CLIInterrupted    Key = "cli.interrupted"
)

func init() {
	Register(map[Key]Text{
		CLIError: {
			ZH: "kioskpull：%s",
			EN: "kioskpull: %s",
		},
		CLIUnknownCommand: {
			ZH: "未知命令 %q",
			EN: "unknown command %q",
		},
		CLIUsage: {
			ZH: `用法：kioskpull 命令 [选项]

命令：
  pull     从回收机拉取称重记录（-port 路径、-serial 序列号，或 -all 拉取所有已接入的回收机）
  status   列出每台回收机最近一次拉取，标出逾期未拉取的
  import   导入回收机导出到U盘的 CSV 文件
  verify   检查 data/kiosk 中的数据（缺口、重复、损坏），-repair 修复能安全修复的
  ports    列出串口及其中识别出的回收机
  close    月份结账：冻结该月参与户数，供网站公布（kioskpull close [月份…]）
  receipt  打印最近一次拉取或导入的回执，供工作人员签字
  keygen   生成对卡号做假名化的站点密钥
  sim      在伪终端上运行一台模拟回收机
  demo     启动一台模拟回收机并从中拉取

运行 kioskpull 命令 -h 查看该命令的选项。
`,
			EN: `usage: kioskpull COMMAND [flags]

commands:
  pull     pull weight logs from a kiosk (-port PATH, -serial SN) or all kiosks plugged in (-all)
  status   list each kiosk's last pull and flag overdue ones
  import   import CSV files a kiosk exported to a USB stick
  verify   check data/kiosk for holes, duplicates and damage; -repair fixes what is safe
  ports    list serial ports and the kiosks among them
  close    close months: freeze their household figures for the site (kioskpull close [MONTH...])
  receipt  print a receipt of the latest pull or import for staff to sign (in Chinese)
  keygen   make the site key that pseudonymises card numbers
  sim      run a simulated kiosk on a pseudo-terminal
  demo     start a simulated kiosk and pull from it

Run kioskpull COMMAND -h for a command's flags.
`,
		},
		CLIInterrupted: {ZH: "已中断（Ctrl-C）", EN: "interrupted (Ctrl-C)"},
		CLINoKey: {
			ZH: "没有站点密钥，拒绝运行：卡号绝不能写入磁盘。%v",
			EN: "refusing to run without a site key, since card numbers must never reach the disk: %v",
		},
	})
}
