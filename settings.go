package sobot

// Settings are the chat page's system settings (系统字段) that both links and
// the widget accept: appearance, buttons, language, history, third-party
// redirects. Typically set once per site in Config.Defaults and overridden
// per page where needed.
type Settings struct {
	// Color is the theme colour as six hex digits (color), e.g. "04babc".
	// A leading '#' is removed and upper case is lowered before sending,
	// because Sobot wants the bare lower-case form.
	Color string
	// Locale is the visitor UI language (locale). LocaleTraditional (tw) is
	// supported on H5 only.
	Locale Locale
	// DelayedTransferButton shows the "transfer to agent" button only after
	// the robot failed to answer the number of times set in the console
	// (show_manual).
	DelayedTransferButton Toggle
	// LeaveMessageEntry shows the leave-message prompt and the entry after a
	// session ends (msg_flag, inverted on the wire: On sends 0).
	LeaveMessageEntry Toggle
	// LeaveMessageButton shows the leave-message button in the input menu
	// (leave_msg_flag).
	LeaveMessageButton Toggle
	// FeedbackButton shows the evaluation button once a session exists
	// (feedback_flag).
	FeedbackButton Toggle
	// AttachmentButton allows uploading attachments in agent sessions
	// (photo_flag; H5 only).
	AttachmentButton Toggle
	// EvaluateOnClose asks for an evaluation when the visitor closes the chat
	// (show_evaluate).
	EvaluateOnClose Toggle
	// ThirdPartyTransfer sends the visitor to ThirdPartyTransferURL when they
	// ask for an agent (to_customsys_flag).
	ThirdPartyTransfer Toggle
	// ThirdPartyTransferURL is where ThirdPartyTransfer goes
	// (to_customsys_url), http or https.
	ThirdPartyTransferURL string
	// ThirdPartyTransferNewWindow opens ThirdPartyTransferURL in a new window
	// instead of the current page (to_customsys_open_style; links only).
	ThirdPartyTransferNewWindow Toggle
	// ThirdPartyLeaveMessage hands leave-messages to a third-party system
	// (leave_customsys_flag; H5 only).
	ThirdPartyLeaveMessage Toggle
	// ThirdPartyLeaveMessageURL is that system's address
	// (leave_customsys_url; H5 only), http or https.
	ThirdPartyLeaveMessageURL string
	// TopBar shows the H5 page's top return bar (top_bar_flag; links, H5
	// only).
	TopBar Toggle
	// TitleMode chooses what the top bar's title shows (title_flag; H5 only;
	// effective with TopBar On).
	TitleMode TitleMode
	// CustomTitle is the fixed title text (custom_title): the top bar's title
	// when TitleMode is TitleCustom (then 1–30 characters), otherwise the
	// page title.
	CustomTitle string
	// RobotGuide shows the robot's guide questions (guide_flag).
	RobotGuide Toggle
	// HideScreenshotTool hides the PC chat page's screenshot tool
	// (cut_flag=hide). False sends nothing: the tool stays on.
	HideScreenshotTool bool
	// HistoryMinutes is how far back, in minutes, the visitor sees chat
	// history (time): 10 to 2880 (48 hours).
	HistoryMinutes *int
	// ServiceSummary is passed through as the service-summary fields
	// (summaryparams); the reference does not document its format.
	ServiceSummary string
	// Reload reloads the chat page every time it is expanded (reload;
	// Sobot advises against it).
	Reload Toggle
	// HideEmoji hides the emoji button after transfer to an agent
	// (emoji_state=hide). False sends nothing.
	HideEmoji bool
	// Source is the channel the visitor comes from (source).
	Source Source
	// FollowLinks lets links in chat messages open (is_link: On sends 1,
	// Off 0).
	FollowLinks Toggle
	// ShowFaces shows the agent's avatar, and the visitor's when User.Face
	// is set (show_face: On sends 1, Off 0; H5).
	ShowFaces Toggle
	// ChannelID is the id of a deployment channel configured in the console
	// (channelid). Not in the reference's table, but common in real links.
	ChannelID *int
}

// IsZero reports whether no field of s is set.
func (s Settings) IsZero() bool { return s == Settings{} }

// Locale is the visitor UI language (locale).
type Locale string

const (
	// LocaleChinese is simplified Chinese (cn), Sobot's default.
	LocaleChinese Locale = "cn"
	// LocaleEnglish is English (en).
	LocaleEnglish Locale = "en"
	// LocaleTraditional is traditional Chinese (tw), H5 only.
	LocaleTraditional Locale = "tw"
)

// TitleMode is what the H5 top bar's title shows (title_flag).
type TitleMode uint8

const (
	// TitleCompany shows the company name set in the console (1).
	TitleCompany TitleMode = 1
	// TitleCustom shows Settings.CustomTitle, 1–30 characters (2).
	TitleCustom TitleMode = 2
	// TitleAgent shows the serving agent's nickname (3).
	TitleAgent TitleMode = 3
)

// Source is the channel a visitor comes from (source). Its value is the wire
// number as text, so Source("4") and SourceMobile are the same; the zero
// value is unset.
type Source string

// Source values.
const (
	SourceDesktop     Source = "0"  // desktop website
	SourceWeChat      Source = "1"  // WeChat
	SourceApp         Source = "2"  // app
	SourceWeibo       Source = "3"  // Weibo
	SourceMobile      Source = "4"  // mobile website
	SourceWeCom       Source = "9"  // enterprise WeChat
	SourceMiniProgram Source = "10" // WeChat mini-program
)
