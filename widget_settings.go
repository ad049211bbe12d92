package sobot

// WidgetSettings are the parameters only the JS-SDK widget accepts (组件-only
// rows of 系统字段 and the widget examples). Link builders reject them.
type WidgetSettings struct {
	// Manual defers initialisation until the page calls frame_manual
	// (manual: true), e.g. from a custom button.
	Manual bool
	// CustomButton replaces the default entry button with your own elements
	// of class zhiCustomBtn (custom: true).
	CustomButton bool
	// Location places the default entry button (location).
	Location Location
	// OpenInNewWindow opens the chat in a new window instead of the floating
	// panel (anchor).
	OpenInNewWindow Toggle
	// Async loads the widget as soon as the page is entered (async).
	Async Toggle
	// AutoInvite pops up an invitation automatically (invite).
	AutoInvite Toggle
	// InviteText is the invitation's text (tip_title).
	InviteText string
	// InviteButton is the accept button's text (submit_title).
	InviteButton string
	// InviteFirstDelay is the delay in seconds before the first invitation
	// (first_timeout).
	InviteFirstDelay *int
	// InviteRepeatDelay is the delay in seconds before inviting again after a
	// refusal (over_timeout).
	InviteRepeatDelay *int
	// InviteCount is how many times a day to invite at most (invite_count).
	InviteCount *int
	// InviteImage is the invitation's logo URL (invite_imgsrc), http(s).
	InviteImage string
	// AgentInvite lets agents invite this visitor from the workbench
	// (invite_flag, inverted on the wire: On sends false, Off true).
	AgentInvite Toggle
	// AutoExpand opens the chat panel automatically on arrival
	// (auto_expand).
	AutoExpand Toggle
	// CollectTrace collects the visitor's browsing trace (man_trace).
	CollectTrace Toggle
	// ContainerStyle is CSS for the PC chat window (container_style); height
	// and width go in Height and Width.
	ContainerStyle string
	// Height is the PC chat window's height (height), e.g. "600px".
	Height string
	// Width is the PC chat window's width (width), e.g. "400px".
	Width string
	// Refresh refreshes the widget every time it is expanded (refresh).
	Refresh Toggle
	// ExpandSize is the H5 panel height (expand_size), full by default.
	ExpandSize ExpandSize
	// AnimatedIcon uses the animated GIF entry icon (gif: On 1, Off 0).
	AnimatedIcon Toggle
}

// IsZero reports whether no widget setting is set.
func (w WidgetSettings) IsZero() bool { return w == WidgetSettings{} }

// Location is where the default entry button sits (location).
type Location uint8

const (
	// BottomRight is the bottom-right corner (1), the default.
	BottomRight Location = 1
	// BottomLeft is the bottom-left corner (2).
	BottomLeft Location = 2
)

// ExpandSize is the H5 chat panel height (expand_size).
type ExpandSize string

const (
	// ExpandHalf opens a half-screen panel (half).
	ExpandHalf ExpandSize = "half"
	// ExpandFull opens a full-screen panel (full), the default.
	ExpandFull ExpandSize = "full"
)

// LeaveMessageFields are the parameters only the stand-alone leave-message
// page takes (独立接入留言页); the page also takes uname, groupid and locale.
type LeaveMessageFields struct {
	// UID is the customer's Sobot user id, as returned by the customer
	// centre's query API as userid (uid).
	UID string
	// TemplateID is the leave-message template id (templateid).
	TemplateID string
	// T is passed through as the reference shows it (t); the reference does
	// not say what it means.
	T string
}

// IsZero reports whether no leave-message field is set.
func (l LeaveMessageFields) IsZero() bool { return l == LeaveMessageFields{} }
