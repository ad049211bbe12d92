package sobot

import (
	"fmt"
	"html/template"
)

// WidgetFuncName is the name of the widget's template function in
// Client.FuncMap.
const WidgetFuncName = "sobotWidget"

// FuncMap returns the client's html/template functions:
//
//	sobotWidget WIDGET   the widget's HTML (Client.Widget) for a Widget or
//	                     *Widget value (a nil *Widget: the defaults alone)
//
// Add them before parsing:
//
//	tmpl := template.Must(template.New("page").Funcs(client.FuncMap()).Parse(
//		`<body>...{{sobotWidget .Chat}}</body>`))
//	err := tmpl.Execute(w, struct{ Chat sobot.Widget }{sobot.Widget{Params: &p, Nonce: nonce}})
//
// An invalid widget stops the execution with the *ValidationError (wrapped
// by html/template's ExecError; errors.As finds it), so a page is never
// served with a broken widget. Since html/template may already have
// written part of the page, execute into a buffer when you want to answer
// with an error page instead.
func (c *Client) FuncMap() template.FuncMap {
	return template.FuncMap{WidgetFuncName: c.widgetHTML}
}

// widgetHTML is the sobotWidget template function. It takes a Widget or a
// *Widget; a nil *Widget renders the defaults alone, as Client.Widget(nil)
// does.
func (c *Client) widgetHTML(w any) (template.HTML, error) {
	var s Snippet
	var err error
	switch w := w.(type) {
	case Widget:
		s, err = c.RenderWidget(&w)
	case *Widget:
		s, err = c.RenderWidget(w)
	default:
		return "", fmt.Errorf("sobot: %s takes a sobot.Widget or *sobot.Widget, not %T", WidgetFuncName, w)
	}
	return s.HTML(), err
}
