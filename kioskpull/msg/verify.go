package msg

// Messages of kioskpull verify.
const (
	VerifyDuplicate   Key = "verify.duplicate"
	VerifyConflict    Key = "verify.conflict"
	VerifyDamaged     Key = "verify.damaged"
	VerifyMisplaced   Key = "verify.misplaced"
	VerifyUnsorted    Key = "verify.unsorted"
	VerifyImpossible  Key = "verify.impossible"
	VerifyTempFile    Key = "verify.temp-file"
	VerifyChecksum    Key = "verify.checksum"
	VerifyHole        Key = "verify.hole"
	VerifyRepaired    Key = "verify.repaired"
	VerifyRepairable  Key = "verify.repairable"
	VerifyForPerson   Key = "verify.for-a-person"
	VerifySummary     Key = "verify.summary"
	VerifySound       Key = "verify.sound"
	VerifyRunRepair   Key = "verify.run-repair"
	VerifyNeedsPerson Key = "verify.needs-person"
)

func init() {
	Register(map[Key]Text{
		VerifyDuplicate: {
			ZH: "%[1]s:%[2]d：纪元 %[3]d 的记录 #%[4]d 在 %[5]s 中也有，内容相同：可删除的重复",
			EN: "%[1]s:%[2]d: record #%[4]d of epoch %[3]d is also in %[5]s, same content: removable duplicate",
		},
		VerifyConflict: {
			ZH: "%[1]s:%[2]d：纪元 %[3]d 的记录 #%[4]d 在 %[5]s 中也有，内容不同：冲突，不会自动处理",
			EN: "%[1]s:%[2]d: record #%[4]d of epoch %[3]d is also in %[5]s with different content: conflict, never resolved automatically",
		},
		VerifyDamaged: {
			ZH: "%[1]s：无法读取：%[2]s",
			EN: "%[1]s: cannot be read: %[2]s",
		},
		VerifyMisplaced: {
			ZH: "%[1]s:%[2]d：放错了位置：%[3]s",
			EN: "%[1]s:%[2]d: misplaced: %[3]s",
		},
		VerifyUnsorted: {
			ZH: "%[1]s：行的顺序或文件名与内容不符",
			EN: "%[1]s: rows out of order, or the name does not give the first and last row",
		},
		VerifyImpossible: {
			ZH: "%[1]s:%[2]d：纪元 %[3]d 的记录 #%[4]d 时间不可能（%[5]s），应移入隔离文件夹",
			EN: "%[1]s:%[2]d: record #%[4]d of epoch %[3]d has an impossible time (%[5]s) and belongs in quarantine",
		},
		VerifyTempFile: {
			ZH: "%[1]s：中断的写入留下的临时文件",
			EN: "%[1]s: temp file left by an interrupted write",
		},
		VerifyChecksum: {
			ZH: "%[1]s：写入后被改动过：%[2]s",
			EN: "%[1]s: changed since it was written: %[2]s",
		},
		VerifyHole: {
			ZH: "%[1]s：纪元 %[2]d 的记录 #%[3]d-#%[4]d 既未保存也未记为丢失：再拉取一次这台回收机即可取回（如果它还保存着）",
			EN: "%[1]s: records #%[3]d-#%[4]d of epoch %[2]d are neither stored nor known lost: pull the kiosk again to fetch them (if it still holds them)",
		},
		VerifyRepaired: {
			ZH: "——已修复",
			EN: " — repaired",
		},
		VerifyRepairable: {
			ZH: "——可用 -repair 修复",
			EN: " — -repair fixes this",
		},
		VerifyForPerson: {
			ZH: "——需要人工处理",
			EN: " — needs a person",
		},
		VerifySummary: {
			ZH: "检查了 %[1]d 台回收机、%[2]d 个文件、%[3]d 条记录：%[4]d 个问题需要人工处理，%[5]d 个可修复，%[6]d 个已修复，%[7]d 处缺口",
			EN: "checked %[1]d kiosks, %[2]d files, %[3]d records: %[4]d problems need a person, %[5]d repairable, %[6]d repaired, %[7]d holes",
		},
		VerifySound: {
			ZH: "数据完好",
			EN: "the store is sound",
		},
		VerifyRunRepair: {
			ZH: "运行 kioskpull verify -repair 修复可修复的问题（不会删除只存一份的记录）",
			EN: "run kioskpull verify -repair to fix what can be fixed (it never deletes a record stored only once)",
		},
		VerifyNeedsPerson: {
			ZH: "有问题需要人工处理：见上",
			EN: "problems need a person: see above",
		},
	})
}
