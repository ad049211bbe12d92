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
//	sobotWidget WIDGET [CTX]   the widget's HTML (Client.WidgetForPage) for
//	                           a Widget or *Widget value (a nil *Widget, or
//	                           nil such as a map's missing entry: the
//	                           defaults alone); CTX, the request's context,
//	                           goes to the log records
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
// problems go to Config.Logger. Only a value of another type than Widget,
// *Widget or nil stops the execution, with an error: that is a bug in the
// template, not a visitor's data. The HTML is empty when no widget was
// rendered, so a template can say so:
//
//	{{with sobotWidget .Chat .Ctx}}{{.}}<p>Chat with us: bottom right.</p>{{end}}
func (c *Client) FuncMap() template.FuncMap {
	return template.FuncMap{WidgetFuncName: c.widgetHTML}
}

// widgetHTML is the sobotWidget template function. It takes a Widget or a
// *Widget; a nil *Widget or a plain nil (a map's missing entry) renders
// the defaults alone, as Client.RenderWidget(nil) does.
func (c *Client) widgetHTML(w any, ctx ...context.Context) (template.HTML, error) {
	if len(ctx) > 1 {
		return "", fmt.Errorf("sobot: %s takes a widget and at most one context, not %d arguments", WidgetFuncName, 1+len(ctx))
	}
	rctx := context.Background()
	if len(ctx) == 1 && ctx[0] != nil {
		rctx = ctx[0]
	}
	switch w := w.(type) {
	case Widget:
		return c.WidgetForPage(rctx, &w).HTML(), nil
	case *Widget:
		return c.WidgetForPage(rctx, w).HTML(), nil
	case nil:
		return c.WidgetForPage(rctx, nil).HTML(), nil
	}
	return "", fmt.Errorf("sobot: %s takes a sobot.Widget or *sobot.Widget, not %T", WidgetFuncName, w)
}
