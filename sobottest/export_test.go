package sobottest

// RecordedBytes is the memory the handler's recorded calls hold, as counted
// against its budget (callSize), for tests of the bound.
func (h *Handler) RecordedBytes() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.callBytes
}

// MaxRecordedBytes is the budget of RecordedBytes.
const MaxRecordedBytes = maxCallsBytes

// CallSize is callSize, for tests that check what it counts.
func CallSize(c Call) int { return callSize(&c) }
