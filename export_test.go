package sobot

// Exported for the external tests (package sobot_test) of this directory.

// ProblemLines returns the "param: reason" lines of a *ValidationError; see
// problemsOf.
var ProblemLines = problemsOf
