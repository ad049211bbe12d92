package sobot

import "strconv"

// Kind is what a set of parameters is for: a chat page (H5 or PC), the
// JS-SDK widget, the stand-alone leave-message page or a ticket-plugin link.
// Each builder validates for its kind, [ParamInfo.Kinds] lists the kinds a
// parameter may be used with, and [Inspect] reports the kind of link it read
// (for the widget, its loader's URL).
type Kind uint8

// The kinds. The zero Kind is not a kind: validating for it is an error.
const (
	// KindH5 is the H5 (mobile) chat page: Client.H5URL and
	// Client.MiniProgramURL.
	KindH5 Kind = iota + 1
	// KindPC is the PC (desktop) chat page: Client.PCURL.
	KindPC
	// KindWidget is the JS-SDK widget: Client.RenderWidget and its
	// loader's URL.
	KindWidget
	// KindLeaveMessage is the stand-alone leave-message page:
	// Client.LeaveMessageURL.
	KindLeaveMessage
	// KindTicket is a ticket-plugin link: TicketURL.
	KindTicket

	kindCount = iota + 1 // one past the last kind
)

// kindText holds, per kind, its name (String) and how messages call it.
var kindText = [kindCount]struct{ name, noun string }{
	KindH5:           {"h5", "H5 chat link"},
	KindPC:           {"pc", "PC chat link"},
	KindWidget:       {"widget", "widget"},
	KindLeaveMessage: {"leave-message", "leave-message link"},
	KindTicket:       {"ticket", "ticket-plugin link"},
}

// valid reports whether k is one of the kinds.
func (k Kind) valid() bool { return k >= KindH5 && k < kindCount }

// String returns "h5", "pc", "widget", "leave-message" or "ticket".
func (k Kind) String() string {
	if !k.valid() {
		return "Kind(" + strconv.Itoa(int(k)) + ")"
	}
	return kindText[k].name
}

// GoString returns the constant's Go name, such as "sobot.KindH5".
func (k Kind) GoString() string { return kindNames.goString(k) }

// MarshalText returns the kind's String, so it reads well in JSON.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// noun names the kind in messages: "H5 chat link", "widget", ...
func (k Kind) noun() string {
	if !k.valid() {
		return k.String()
	}
	return kindText[k].noun
}

// kindSet is a set of kinds, one bit each: a parameter's scope.
type kindSet uint8

// kinds returns the set of ks.
func kinds(ks ...Kind) kindSet {
	var s kindSet
	for _, k := range ks {
		s |= 1 << k
	}
	return s
}

// has reports whether k is in s.
func (s kindSet) has(k Kind) bool { return s&(1<<k) != 0 }

// list returns the kinds of s in order.
func (s kindSet) list() []Kind {
	var out []Kind
	for k := KindH5; k < kindCount; k++ {
		if s.has(k) {
			out = append(out, k)
		}
	}
	return out
}

// The scopes of the reference's table: 链接 (chat links, H5 and PC), 组件
// (the widget), both, and the leave-message page's few parameters.
var (
	linkKinds   = kinds(KindH5, KindPC)
	widgetKinds = kinds(KindWidget)
	chatKinds   = kinds(KindH5, KindPC, KindWidget)
	// h5Kinds is a row marked 仅H5: the H5 page and the widget (which opens
	// the H5 page on phones); h5LinkKinds one marked 仅H5 and 链接.
	h5Kinds     = kinds(KindH5, KindWidget)
	h5LinkKinds = kinds(KindH5)
	// lmKinds is the leave-message page alone; chatLMKinds a chat parameter
	// the leave-message page takes too (uname, groupid, locale).
	lmKinds     = kinds(KindLeaveMessage)
	chatLMKinds = chatKinds | lmKinds
	// chatTicketKinds is params, which a ticket-plugin link carries too.
	chatTicketKinds = chatKinds | kinds(KindTicket)
)

// pagePath returns the path of the page of kind k and version v, after the
// base URL: the one place builders and Inspect learn where pages are. The
// leave-message page is documented in v2 only, so both versions use it; a
// ticket link is the console's own link and has no path of ours.
func pagePath(k Kind, v Version) string {
	switch k {
	case KindH5:
		return "/chat/h5/" + v.String() + "/index.html"
	case KindPC:
		return "/chat/pc/" + v.String() + "/index.html"
	case KindWidget:
		return "/chat/frame/" + v.String() + "/entrance.js"
	case KindLeaveMessage:
		return leaveMessagePath
	}
	return ""
}

// leaveMessagePath is the stand-alone leave-message page. The reference
// documents only this v2 path and no v6 counterpart is known, so clients of
// either Version use it.
const leaveMessagePath = "/chat/h5/v2/leavemessage.html"
