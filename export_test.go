package sobot

// Exported for the external tests (package sobot_test) of this directory,
// so that both share one set of helpers (helpers_test.go).
var (
	NewTestClient = newTestClient
	ProblemLines  = problemLines
	AssertLinks   = assertLinks
)

// LinkCase is a case of AssertLinks.
type LinkCase = linkCase

// TestSysNum is the account of the tests' clients.
const TestSysNum = testSysNum
