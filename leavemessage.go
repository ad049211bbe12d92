package sobot

import "errors"

// LeaveMessageURL returns the link to Sobot's stand-alone leave-message page
// (独立接入留言页), where a visitor picks a template and leaves a message:
// BaseURL + "/chat/h5/v2/leavemessage.html?...". The reference offers it to
// channels without a chat page: WeChat official accounts, mini-programs,
// native IM.
//
// The page takes sysnum, source, uid, uname, templateid, groupid, locale and
// t, which come from p.LeaveMessage (UID, TemplateID, T), p.User.Name,
// p.Routing.GroupID and p.Settings.Locale, with Config.Defaults for those
// where p leaves them unset. source is always 9, as the reference fixes it
// ("值固定为9"): leave p.Settings.Source unset or set it to SourceWeCom (9);
// any other source is an error. Any other parameter set in p is an error too.
// Errors are a *ValidationError listing every problem.
//
// The page is the same for V2 and V6 clients: the reference documents
// /chat/h5/v2/leavemessage.html only.
//
// Leave-message links are never signed, even by a client with a key: the
// reference describes the security check (partnerid and sign) for the chat
// pages only, and this page names the customer by uid (Sobot's own user id,
// userid in the customer-centre API) rather than by partnerid, so a sign
// would have nothing to bind. The uid is therefore not protected: whoever
// edits the link can leave a message under another uid. Build it for the
// logged-in user on each request and don't treat what arrives through it as
// authenticated.
func (c *Client) LeaveMessageURL(p *Params) (string, error) {
	var buf [16]field
	fs, err := c.fields(KindLeaveMessage, p, buf[:0])
	if err != nil {
		return "", err
	}
	return c.link(leaveMessagePath, fs), nil
}

// leaveMessageFields resolves p for the leave-message page, whose source is
// fixed to 9.
func (c *Client) leaveMessageFields(p *Params, dst []field) ([]field, error) {
	own, fixed := withFixedSource(p, SourceWeCom, "the leave-message page takes source 9 only (值固定为9)")
	fs, err := c.resolve(KindLeaveMessage, &own, dst)
	if err = joinProblems(fixed, err); err != nil {
		return nil, err
	}
	return insert(fs, field{name: "source", text: "9", row: rowByName["source"]}), nil
}

// withFixedSource returns a copy of *p whose Settings.Source is cleared, for
// a page whose source is fixed to want, and the problem of a caller's source
// other than want (nil if none). why completes "must be ...".
func withFixedSource(p *Params, want Source, why string) (Params, problems) {
	var own Params
	if p != nil {
		own = *p
	}
	var ps problems
	if s := own.Settings.Source; s != "" && s != want {
		text, _ := own.Get("source")
		ps.add("source", text, "must be unset or "+string(want)+": "+why)
	}
	own.Settings.Source = ""
	return own, ps
}

// joinProblems returns first followed by the problems of err (a
// *ValidationError or nil) as one *ValidationError, or nil when there are
// none. Any other error is returned as it is.
func joinProblems(first problems, err error) error {
	if err == nil {
		return first.err()
	}
	var verr *ValidationError
	if !errors.As(err, &verr) {
		return err
	}
	return append(first, verr.Problems...).err()
}
