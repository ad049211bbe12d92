package browsertest

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// closeTB records what closeBounded reports, instead of the real test.
type closeTB struct {
	testing.TB
	logs, errors []string
}

func (c *closeTB) Logf(format string, args ...any) {
	c.logs = append(c.logs, fmt.Sprintf(format, args...))
}

func (c *closeTB) Errorf(format string, args ...any) {
	c.errors = append(c.errors, fmt.Sprintf(format, args...))
}

// TestCloseBounded checks the bound itself with injected hangs, no browser.
func TestCloseBounded(t *testing.T) {
	saved := closeTimeout
	closeTimeout = 50 * time.Millisecond
	t.Cleanup(func() { closeTimeout = saved })

	t.Run("closes", func(t *testing.T) {
		c := &closeTB{TB: t}
		killed := 0
		closeBounded(c, "tab", func() {}, func() { killed++ })
		assert.Equal(t, 0, killed, "a browser that closes is not killed")
		assert.Empty(t, c.logs)
		assert.Empty(t, c.errors)
	})
	t.Run("hangs until killed", func(t *testing.T) {
		c := &closeTB{TB: t}
		kill := make(chan struct{})
		start := time.Now()
		closeBounded(c, "tab", func() { <-kill }, func() { close(kill) })
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, closeTimeout)
		assert.Less(t, elapsed, 2*time.Second)
		require.Len(t, c.logs, 1)
		assert.Contains(t, c.logs[0], "killing the browser")
		assert.Empty(t, c.errors, "the close finished once the browser was killed")
	})
	t.Run("hangs for good", func(t *testing.T) {
		c := &closeTB{TB: t}
		forever := make(chan struct{})
		defer close(forever) // let the goroutine go at the end
		start := time.Now()
		closeBounded(c, "browser", func() { <-forever }, func() {})
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 2*closeTimeout)
		assert.Less(t, elapsed, 2*time.Second)
		require.Len(t, c.errors, 1)
		assert.Contains(t, c.errors[0], "the browser did not close")
	})
}
