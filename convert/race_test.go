//go:build race

package convert

// raceEnabled reports whether the tests run with the race detector, which
// makes allocation-heavy code several times slower.
const raceEnabled = true
