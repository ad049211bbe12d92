//go:build !race

package sobot

// raceEnabled: see middleware_race_test.go.
const raceEnabled = false
