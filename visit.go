package sobot

// VisitTrace is the browsing trace the widget reports to agents (自定义采集内容:
// pre_visit_args and cur_visit_args). Widget only. Also the argument of the
// widget's manual trace call. Empty fields are not sent; with no field set
// Sobot collects each page's URL and title itself.
type VisitTrace struct {
	// Previous describes the page the visitor came from (pre_visit_args).
	Previous PreviousPage
	// Current describes the page being viewed (cur_visit_args).
	Current CurrentPage
}

// IsZero reports whether no trace field is set.
func (v VisitTrace) IsZero() bool { return v == VisitTrace{} }

// PreviousPage is the referring page of a visit trace (pre_*).
type PreviousPage struct {
	Abstract  string // summary (pre_abstract)
	URL       string // address, http(s) (pre_visit_url)
	Title     string // title (pre_visit_title)
	Thumbnail string // thumbnail URL, http(s) (pre_thumbnail)
	Tags      string // tags (pre_tags)
}

// CurrentPage is the page being viewed in a visit trace (cur_*).
//
// The thumbnail's wire name is cur_thumbnail as the reference's table says;
// the reference's example writes pcur_thumbnail, taken to be a typo.
type CurrentPage struct {
	Abstract  string // summary (cur_abstract)
	URL       string // address, http(s) (cur_visit_url)
	Title     string // title (cur_visit_title)
	Thumbnail string // thumbnail URL, http(s) (cur_thumbnail)
	Tags      string // tags (cur_tags)
}
