//go:build race

package sobot

// raceEnabled: the race detector makes sync.Pool drop buffers at random,
// so allocation counts vary (TestMiddlewareMemoryFlat).
const raceEnabled = true
