package sobot

import "unsafe"

// H5URL returns the signed H5 (mobile) chat link for p:
// BaseURL + "/chat/h5/v2/index.html?..." (v6 with Config.Version V6).
// Config.Defaults apply where p leaves a parameter unset. It returns a
// *ValidationError if any parameter is invalid or not allowed in a link.
//
// With a security key the link carries partnerid and sign; anyone holding
// the link can chat as that user until the key is rotated, so treat it like
// a session token: build it per request for the logged-in user, don't cache
// it across users or put it in shared pages.
func (c *Client) H5URL(p *Params) (string, error) { return c.chatURL(KindH5, p) }

// PCURL returns the signed PC (desktop, new-window) chat link for p:
// BaseURL + "/chat/pc/v2/index.html?...". It rejects H5-only parameters
// (photo_flag, top_bar_flag, title_flag, leave_customsys_*, locale tw) set
// in p; H5-only defaults are skipped. See H5URL for signing.
func (c *Client) PCURL(p *Params) (string, error) { return c.chatURL(KindPC, p) }

// chatURL builds a chat link of kind k, H5 or PC.
func (c *Client) chatURL(k Kind, p *Params) (string, error) {
	var buf [48]field
	fs, err := c.resolve(k, p, buf[:0])
	if err != nil {
		return "", err
	}
	return c.link(c.paths[k], fs), nil
}

// link returns base + path + "?" + the query of fs with sysnum in its
// place: names in byte order, values percent-encoded.
func (c *Client) link(path string, fs []field) string {
	size := len(c.base) + len(path) + 1 + len(c.sysField.seg)
	for i := range fs {
		if f := &fs[i]; f.seg != "" {
			size += len(f.seg) + 1
		} else {
			size += escapedLen(f.name) + escapedLen(f.text) + 2
		}
	}
	// sysnum goes before the first field that sorts after it.
	sys := len(fs)
	for i := range fs {
		if compareFields(&fs[i], &c.sysField) > 0 {
			sys = i
			break
		}
	}
	b := make([]byte, 0, size)
	b = append(append(b, c.base...), path...)
	b = append(b, '?')
	for i := range fs[:sys] {
		b = append(appendSegment(b, &fs[i]), '&')
	}
	b = appendSegment(b, &c.sysField)
	for i := range fs[sys:] {
		b = appendSegment(append(b, '&'), &fs[sys+i])
	}
	// b is exactly sized and never written again, so it can back the string
	// without a copy, as strings.Builder does.
	return unsafe.String(unsafe.SliceData(b), len(b))
}
