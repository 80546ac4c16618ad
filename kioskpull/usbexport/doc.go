// Package usbexport reads (and, for the simulator and tests, writes) the CSV
// files a kiosk exports to a USB stick: the link protocol's record fields
// plus kiosk, epoch and a per-row CRC-32, in UTF-8 or GB18030, with English
// or Chinese column names.
package usbexport
