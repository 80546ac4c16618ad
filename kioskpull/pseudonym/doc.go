// Package pseudonym replaces points-card numbers by keyed-hash pseudonyms
// (HMAC-SHA256 under a site key) before anything reaches the disk, and
// makes, finds and loads that key, which lives outside the repository.
package pseudonym
