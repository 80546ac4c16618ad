package output

import (
	"os"
	"path/filepath"
	"strings"
)

// swapByRename moves the final folder aside and the new one in: two renames,
// with a moment in between when the final path is missing.
func swapByRename(tmp, final string) (string, error) {
	old := strings.Replace(tmp, ".new-", ".old-", 1)
	if old == tmp {
		old = filepath.Join(filepath.Dir(tmp), "."+filepath.Base(final)+".old")
	}
	if err := os.Rename(final, old); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		_ = os.Rename(old, final)
		return "", err
	}
	return old, nil
}
