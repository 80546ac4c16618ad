// Command kioskpull brings the smart sorting kiosks' weight logs into
// data/kiosk/: over the kiosk's USB serial link (pull), from the CSV files a
// kiosk exported to a USB stick (import), with card numbers replaced by
// keyed-hash pseudonyms (keygen makes the key). sim is a simulated kiosk
// for trying it all without hardware, and demo runs the whole flow.
// See README.md for usage and exit statuses, PROTOCOL.md for the link.
package main
