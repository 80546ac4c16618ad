package msg

// Messages of the kioskpull command line as a whole.
const (
	CLIError          Key = "cli.error"
	CLIUnknownCommand Key = "cli.unknown-command"
	CLIUsage          Key = "cli.usage"
	CLINoKey          Key = "cli.no-key"
	CLIInterrupted    Key = "cli.interrupted"

	FlagKey        Key = "flag.key"
	FlagDemoKey    Key = "flag.demo-key"
	FlagLockWait   Key = "flag.lock-wait"
	FlagKeygenKey  Key = "flag.keygen-key"
	FlagInsideRepo Key = "flag.inside-repo"

	KeygenNoArgs     Key = "keygen.no-args"
	KeygenInsideRepo Key = "keygen.inside-repo"
	KeygenWritten    Key = "keygen.written"
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
		FlagKey: {
			ZH: "站点密钥`文件`（默认为 $%[1]s，否则为配置文件夹中的 kiosk.key）",
			EN: "site key `file` (default $%[1]s, else kiosk.key in your config folder)",
		},
		FlagDemoKey:  {ZH: "；没有时生成一个临时密钥", EN: "; a throwaway key is made if there is none"},
		FlagLockWait: {ZH: "另一个 kioskpull 正在写同一台回收机的文件夹时，最多等待多久", EN: "how long to wait for another kioskpull writing the same kiosk's folder"},
		FlagKeygenKey: {
			ZH: "密钥写入的`文件`（默认为 $%[1]s，否则为配置文件夹中的 kiosk.key）",
			EN: "where to write the key `file` (default $%[1]s, else kiosk.key in your config folder)",
		},
		FlagInsideRepo: {ZH: "允许把密钥写在 git 工作区内（不建议）", EN: "allow writing the key inside a git working tree (not recommended)"},
		KeygenNoArgs:   {ZH: "keygen 不接受参数", EN: "keygen takes no arguments"},
		KeygenInsideRepo: {
			ZH: "拒绝把站点密钥写在 git 工作区内（%[1]s），那样它可能被提交；请选一个工作区之外的路径",
			EN: "refusing to write the site key inside a git working tree (%[1]s), where it could be committed; choose a path outside it",
		},
		KeygenWritten: {
			ZH: "站点密钥已写入 %[1]s\n请把它放在仓库之外并做好备份：每次拉取和导入都必须用同一个密钥，否则同一户会被算成两户。",
			EN: "site key written to %[1]s\nKeep it outside the repository and back it up: every pull and import must use the same key, or one household becomes two.",
		},
		CLIInterrupted: {ZH: "已中断（Ctrl-C）", EN: "interrupted (Ctrl-C)"},
		CLINoKey: {
			ZH: "没有站点密钥，拒绝运行：卡号绝不能写入磁盘。%v",
			EN: "refusing to run without a site key, since card numbers must never reach the disk: %v",
		},
	})
}
