package msg

// Messages of reading a kiosk's export files (import).
const (
	ExportNoHeader       Key = "export.no-header"
	ExportNoColumn       Key = "export.no-column"
	ExportTimeDayMonth   Key = "export.time-day-month"
	ExportTimeSerial     Key = "export.time-serial"
	ExportTimeLayout     Key = "export.time-layout"
	ExportTimeNoDate     Key = "export.time-no-date"
	ExportTimeAmbiguous  Key = "export.time-ambiguous"
	ExportTimeNoSeconds  Key = "export.time-no-seconds"
	ExportCardScientific Key = "export.card-scientific"
	ExportCardDigits     Key = "export.card-digits"
	ExportCRCScientific  Key = "export.crc-scientific"
)

func init() {
	Register(map[Key]Text{
		ExportNoHeader: {
			ZH: "%s:1：空文件，没有表头",
			EN: "%s:1: empty file, no header",
		},
		ExportNoColumn: {
			ZH: "%s:1：缺少列 %q（或 %q）",
			EN: "%s:1: no column %q (or %q)",
		},
		ExportTimeDayMonth: {
			ZH: "时间 %q 把日、月写在年份前面，1/3 既可能是1月3日也可能是3月1日：文件被其他区域设置的电子表格软件另存过。请导入U盘上回收机导出的原始文件，或把该列格式改回 2026-01-03 11:13:43 再保存",
			EN: "time %q puts day and month before the year, so 1/3 could be January 3rd or March 1st: a spreadsheet program in another locale saved the file. Import the kiosk's original file from the stick, or set the column's format back to 2026-01-03 11:13:43 and save again",
		},
		ExportTimeSerial: {
			ZH: "时间 %q 是一个数字：电子表格软件把日期显示成了序列号。请把该列格式设为“yyyy-mm-dd hh:mm:ss”再保存，或导入回收机导出的原始文件",
			EN: "time %q is a bare number: a spreadsheet program shows the date as its serial number. Format the column as yyyy-mm-dd hh:mm:ss and save again, or import the kiosk's original file",
		},
		ExportTimeLayout: {
			ZH: "时间 %q 不是 YYYY-MM-DD HH:MM:SS（Excel 另存的 2026/1/3 11:13:43 也可以）",
			EN: "time %q is not YYYY-MM-DD HH:MM:SS (2026/1/3 11:13:43, as Excel saves it, is accepted too)",
		},
		ExportTimeNoDate: {
			ZH: "时间 %q 不是真实存在的日期和时间",
			EN: "time %q is not a real date and time",
		},
		ExportTimeAmbiguous: {
			ZH: "时间 %q 没有秒，而这一分钟里不止一个秒数与本行校验码相符：无法确定是哪一个",
			EN: "time %q has no seconds and more than one second of that minute matches the row's checksum: cannot tell which",
		},
		ExportTimeNoSeconds: {
			ZH: "时间 %q 没有秒（电子表格软件的短格式把秒去掉了），而这一分钟里没有一个秒数与本行校验码相符：本行已损坏，或其他列也被改动过。请导入U盘上回收机导出的原始文件",
			EN: "time %q has no seconds (a spreadsheet program's short format dropped them) and no second of that minute matches the row's checksum: the row is damaged or other columns were changed too. Import the kiosk's original export file from the stick",
		},
		ExportCardScientific: {
			ZH: "卡号被电子表格软件（Excel 或 WPS）变成了科学计数法的数字（如 8.64E+15），数字已经丢失，本行无法导入。请导入U盘上回收机导出的原始文件；如果只剩这一份，请在回收机上重新导出。导出文件不要用电子表格软件打开后保存",
			EN: "the card number was turned into a number in scientific notation (like 8.64E+15) by a spreadsheet program (Excel or WPS) and its digits are lost: this row cannot be imported. Import the kiosk's original export file from the stick; if only this copy exists, export again at the kiosk. Never save an export from a spreadsheet program",
		},
		ExportCardDigits: {
			ZH: "校验不符（本行写 %s，算得 %08x）：卡号有16位以上且以0结尾，像是电子表格软件（Excel 只保留15位有效数字）另存时把末几位换成了0。请导入U盘上回收机导出的原始文件",
			EN: "checksum mismatch (row says %s, computed %08x): the card number has 16 or more digits and ends in 0, as when a spreadsheet program (Excel keeps 15 significant digits) saved the file and replaced its last digits with zeros. Import the kiosk's original export file from the stick",
		},
		ExportCRCScientific: {
			ZH: "校验码 %q 被电子表格软件变成了科学计数法的数字：请导入U盘上回收机导出的原始文件",
			EN: "crc %q was turned into a number in scientific notation by a spreadsheet program: import the kiosk's original export file from the stick",
		},
	})
}
