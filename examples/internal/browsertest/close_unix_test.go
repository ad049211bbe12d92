//go:build unix

package browsertest

import (
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCloseOfHungBrowserIsBounded stops the browser process (SIGSTOP), so
// that it answers nothing, and lets a subtest that owns a tab end. Closing
// that tab must give up after closeTimeout and kill the browser, rather than
// wait for the browser (chromedp alone waits about 10s per tab, and a
// browser hung otherwise can block it for good).
func TestCloseOfHungBrowserIsBounded(t *testing.T) {
	srv := serve(t, "", map[string]string{"/": `<!doctype html><title>hung</title>`})
	b := New(t)
	saved := closeTimeout
	closeTimeout = 500 * time.Millisecond
	t.Cleanup(func() { closeTimeout = saved })

	proc := b.proc
	require.NotNil(t, proc, "the tab knows the browser's process")
	var stopped time.Time
	t.Run("hung", func(t *testing.T) {
		tab := b.NewTab(t)
		tab.Navigate(srv.URL + "/")
		require.NoError(t, proc.Signal(syscall.SIGSTOP))
		stopped = time.Now()
	})
	require.False(t, stopped.IsZero(), "the subtest did not get to stop the browser")
	elapsed := time.Since(stopped)
	assert.Less(t, elapsed, 4*time.Second, "closing a tab of a hung browser took %v; want closeTimeout (%v) and a kill", elapsed, closeTimeout)

	// The browser was killed: it is gone soon after (reaped by chromedp).
	assert.Eventually(t, func() bool { return proc.Signal(syscall.Signal(0)) != nil }, 5*time.Second, 20*time.Millisecond,
		"the hung browser is still running")
}
