package sobot

// Toggle is an on/off switch that can also be left unset. Unset (the
// zero value) means "send nothing and let the Sobot console's setting apply",
// which differs from Off.
//
// Fields of type Toggle are named so that On always means "the feature is
// on", even where Sobot's wire flag is inverted (msg_flag 1 hides the
// leave-message entry; invite_flag true disables agent invitations): the
// library inverts for you.
type Toggle uint8

const (
	// Unset leaves the switch unset: nothing is sent.
	Unset Toggle = iota
	// On turns the feature on.
	On
	// Off turns the feature off.
	Off
)

// String returns "unset", "on" or "off".
func (t Toggle) String() string {
	switch t {
	case Unset:
		return "unset"
	case On:
		return "on"
	case Off:
		return "off"
	}
	return "Toggle(" + itoa(int64(t)) + ")"
}

// Ptr returns a pointer to v. Numeric parameters are pointers so that "not
// set" (nil) differs from zero; Ptr makes them one expression:
//
//	p.Settings.HistoryMinutes = sobot.Ptr(120)
func Ptr[T any](v T) *T { return &v }
