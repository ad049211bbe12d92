package sobot

import "strings"

// MiniProgramURL returns the H5 chat link for a WeChat mini-program's
// web-view: the link H5URL builds, with source=10 (微信小程序). Leave
// p.Settings.Source unset or set it to SourceMiniProgram; any other source is
// an error. Signing, defaults and errors are as for H5URL.
//
// A signed link belongs to one user, so a mini-program should fetch it from
// your server for the logged-in user and bind it:
//
//	<web-view src="{{chatURL}}" bindmessage="msgFn"></web-view>
//
// A bound value reaches web-view as it is, with no escaping to get right.
// The host of Config.BaseURL must be one of the mini-program's business
// domains (业务域名) in the WeChat console, or web-view does not open it.
func (c *Client) MiniProgramURL(p *Params) (string, error) {
	own, fixed := withFixedSource(p, SourceMiniProgram, "a mini-program web-view link has source 10 (微信小程序)")
	own.Settings.Source = SourceMiniProgram
	link, err := c.chatURL(KindH5, &own)
	if err = joinProblems(fixed, err); err != nil {
		return "", err
	}
	return link, nil
}

// MiniProgramWebView returns the WXML element that embeds the chat in a
// mini-program page, as the reference shows it:
//
//	<web-view src="https://www.sobot.com/chat/h5/v2/index.html?source=10&sysnum=..." bindmessage="msgFn"></web-view>
//
// src is MiniProgramURL(p). handler names the page method that receives the
// chat page's messages (bindmessage), such as "msgFn": letters, digits, _ and
// $, not starting with a digit. An empty handler leaves bindmessage out, and
// with it the attachment handling below.
//
// The src attribute is written so that both of WeChat's template frameworks
// read it back as the same URL: every byte that is special in a WXML
// attribute (quotes, <, >, \, {, }, `, ;, controls, spaces, and & outside
// the query) is percent-encoded, which leaves the URL's meaning unchanged.
// The query's & separators stay as they are, as in the reference's
// example: exparser does
// not decode XML entities in attribute values (so &amp; would reach the page
// as "&amp;"), while glass-easel decodes only complete entities (&name;),
// which a separator followed by "name=" never forms.
//
// # Opening attachments on Android
//
// On Android, a PDF or other attachment sent in the chat cannot be opened
// inside web-view. Sobot's page posts the file's URL to the mini-program
// with wx.miniProgram.postMessage, and navigates back when the visitor taps
// the file. WeChat delivers posted messages to bindmessage only at such
// moments (navigating back, the component being destroyed, sharing), with
// e.detail.data holding every message posted so far; the first is the file's
// URL. The handler downloads the file and opens it:
//
//	// pages/web/web.js
//	Page({
//		msgFn(e) {
//			const { detail: { data } } = e
//			const url = data ? data[0] : ''
//			wx.downloadFile({
//				url,
//				success(res) {
//					wx.openDocument({ filePath: res.tempFilePath })
//				},
//			})
//		},
//	})
//
// The file's host must be among the mini-program's downloadFile domains
// (downloadFile 合法域名) for wx.downloadFile to fetch it.
//
// A per-user signed element is only useful rendered per request; most
// mini-programs bind the URL instead (see MiniProgramURL).
func (c *Client) MiniProgramWebView(p *Params, handler string) (string, error) {
	var bad problems
	if handler != "" && !isIdentifier(handler) {
		bad.add("bindmessage", handler, "must be the name of a page method such as msgFn: letters, digits, _ and $, not starting with a digit")
	}
	link, err := c.MiniProgramURL(p)
	if err = joinProblems(bad, err); err != nil {
		return "", err
	}
	b := make([]byte, 0, len(link)+len(handler)+64)
	b = append(b, `<web-view src="`...)
	b = appendWXMLAttrURL(b, link)
	b = append(b, '"')
	if handler != "" {
		b = append(append(append(b, ` bindmessage="`...), handler...), '"')
	}
	return string(append(b, "></web-view>"...)), nil
}

// appendWXMLAttrURL appends u for a double-quoted WXML attribute,
// percent-encoding each byte that either WXML framework could read as markup,
// a data binding or an entity; see MiniProgramWebView. An & is kept only as
// the query's separator: before the query it is encoded too.
func appendWXMLAttrURL(dst []byte, u string) []byte {
	const hex = "0123456789ABCDEF"
	query := strings.IndexByte(u, '?')
	for i := 0; i < len(u); i++ {
		if c := u[i]; c <= ' ' || c == 0x7f || strings.IndexByte(`"'<>\{}`+"`;", c) >= 0 || c == '&' && (query < 0 || i < query) {
			dst = append(dst, '%', hex[c>>4], hex[c&15])
		} else {
			dst = append(dst, c)
		}
	}
	return dst
}
