package sobot

import (
	"context"
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
// The function renders through WidgetForPage, so a visitor's invalid data
// never stops the page: the widget is rendered without what is invalid, or
// not at all when the visitor's identity cannot be honoured, and the
// problems go to Config.Logger. Only a value of another type than Widget
// or *Widget stops the execution, with an error: that is a bug in the
// template, not a visitor's data.
func (c *Client) FuncMap() template.FuncMap {
	return template.FuncMap{WidgetFuncName: c.widgetHTML}
}

// widgetHTML is the sobotWidget template function. It takes a Widget or a
// *Widget; a nil *Widget renders the defaults alone, as
// Client.RenderWidget(nil) does.
func (c *Client) widgetHTML(w any) (template.HTML, error) {
	switch w := w.(type) {
	case Widget:
		return c.WidgetForPage(context.Background(), &w).HTML(), nil
	case *Widget:
		return c.WidgetForPage(context.Background(), w).HTML(), nil
	}
	return "", fmt.Errorf("sobot: %s takes a sobot.Widget or *sobot.Widget, not %T", WidgetFuncName, w)
}
