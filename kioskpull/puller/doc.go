// Package puller is the host side of the kiosk link protocol: it greets a
// kiosk, resumes from what the store already holds for the kiosk's log
// epoch, asks for records batch by batch, verifies every line and every
// batch, pseudonymises card numbers, commits only verified batches, retries
// bad ones and reconnects after the cable is pulled.
package puller
