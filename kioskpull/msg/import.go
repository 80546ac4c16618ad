package msg

// Messages of `kioskpull import`.
const (
	ImportNeedsPath   Key = "import.needs-path"
	ImportNoFiles     Key = "import.no-files"
	ImportSummary     Key = "import.summary"
	ImportRefused     Key = "import.refused"
	ImportQuarantined Key = "import.quarantined"
)

func init() {
	Register(map[Key]Text{
		ImportNeedsPath: {ZH: "import 需要一个文件或文件夹（U盘）", EN: "import needs a file or folder (the USB stick)"},
		ImportNoFiles:   {ZH: "%[1]v 下没有 .csv 导出文件", EN: "no .csv export files under %[1]v"},
		ImportSummary: {
			ZH: "已导入 %[2]d 个文件中的 %[1]d 个（%[3]d 行）：新记录 %[4]d 条，跳过重复 %[5]d 条；回收机 %[6]v",
			EN: "imported %[1]d of %[2]d files (%[3]d rows): %[4]d new records, %[5]d duplicates skipped; kiosks %[6]v",
		},
		ImportRefused: {
			ZH: "%[1]d 个文件被拒收：有一行损坏的文件整个不收，其中没有任何记录被存下",
			EN: "%[1]d files refused: a damaged row refuses its whole file; nothing of it was stored",
		},
		ImportQuarantined: {
			ZH: "%[1]d 条时间不可能的记录已另存于该回收机的 %[2]s/ 文件夹，不会发布：%[3]s",
			EN: "%[1]d records with impossible times kept apart in the kiosk's %[2]s/ folder and not published: %[3]s",
		},
	})
}
