//go:build !unix

package sim

import "errors"

// OpenPTY fails: the simulated kiosk needs a pseudo-terminal, which only
// Unix systems (Linux, macOS, the BSDs) have. Pulling from real kiosks
// works everywhere.
func OpenPTY() (*PTY, error) {
	return nil, errors.New("sim: the simulated kiosk needs a pseudo-terminal, which this system does not have (use Linux or macOS)")
}
