// Package sobot puts Sobot (智齿) customer-service chat on Go web pages: it
// models every parameter of Sobot's web integration reference as typed Go
// values, validates them against the reference, signs per-user access
// (sign = md5(sysnum + key + partnerid)), and builds every link and widget
// snippet the reference documents.
//
// # The client
//
// A [Client] is configured once per site with [NewClient] and is safe for
// concurrent use:
//
//	client, err := sobot.NewClient(sobot.Config{
//		SysNum:   os.Getenv("SOBOT_SYSNUM"),
//		Key:      sobot.NewKey(os.Getenv("SOBOT_KEY")),
//		Defaults: sobot.Params{Settings: sobot.Settings{Color: "04babc"}},
//	})
//	...
//	link, err := client.H5URL(&sobot.Params{User: sobot.User{PartnerID: user.ID, Name: user.Name}})
//
// # What it builds
//
// Each builder takes the same typed [Params]:
//
//   - [Client.H5URL], [Client.PCURL]: signed chat links (链接部署方式);
//   - [Client.RenderWidget], [Client.WriteWidget]: the JS-SDK widget
//     (JS-SDK部署方式): the entrance.js loader, zc("config", {...}) and the
//     other documented zc(...) calls, as html/template-safe HTML with a CSP
//     nonce;
//   - [Client.WidgetForPage], [Client.FuncMap] and [Client.Middleware]: the
//     widget for pages, which never fail because of a visitor's data;
//   - [Client.LeaveMessageURL]: the stand-alone leave-message page
//     (独立接入留言页);
//   - [Client.MiniProgramURL], [Client.MiniProgramWebView]: the H5 link for
//     a WeChat mini-program's web-view;
//   - [TicketURL]: a ticket-plugin link with its fields (工单插件接入).
//
// [Inspect] reads any of these links back into typed values, and
// [ParsedLink.Verify] checks its sign against one or more keys and explains
// a mismatch. The sobot command (cmd/sobot) does all of this from the shell
// and converts a hand-written integration to Go; package sobottest is a
// stand-in of Sobot's pages for tests and demos.
//
// # Parameters
//
// Parameters are grouped as the reference groups them: [User] (identity and
// CRM), [Settings], [Routing], [ProductCard] and [OrderCard], [Greeting],
// [Platform], [WidgetSettings] and [VisitTrace]. Each [Kind] of link or
// widget takes its own set of them. [ParamTable] lists every parameter with
// its wire name, Go field, kinds, allowed values and the reference's own
// description; [Params.Set] and [Params.SetValue] set one by its wire name.
//
// # Validation: problems and notices
//
// Every builder validates its input first and returns a [*ValidationError]
// listing every [Problem], each naming the parameter by its wire name: what
// the reference forbids, or what is unsafe where Sobot shows the value.
// What Sobot accepts but ignores (title_flag without top_bar_flag=1,
// vip_level without is_vip=1, ...) is not a problem but a [Notice]:
// [Params.Notices], [Client.Check] and [Inspect] report them.
//
// Two kinds of input, two policies. The developer's configuration (Config
// and its Defaults) fails loudly, once, in NewClient. A visitor's data (a
// name, the Referer, the page URL) is checked as strictly per request, but
// the page helpers ([Client.WidgetForPage], the sobotWidget template
// function, [Client.Middleware]) never turn a working page into an error
// page because of it: they leave the invalid parameters out, or the widget
// when the visitor's identity cannot be honoured, and log every problem to
// [Config.Logger]. The builders that return errors stay strict.
//
// # Choices where the reference is unclear or contradicts itself
//
//   - The table rows whose names were lost are email and qq, as the CRM
//     example names them.
//   - The current page's thumbnail is cur_thumbnail (the table), not
//     pcur_thumbnail (an example).
//   - Scopes follow the tables: platformUnionCode is for links and the
//     widget (the platform table; the system table says 组件 only); product
//     and order cards and show_face are allowed on PC links as the tables
//     say, with a notice, since their sections are headed H5 only.
//   - transfer_action has no rule limit in the reference; more than 4 rules
//     (the limit of Sobot's mobile SDK documentation) is a notice.
//   - A goods item without a picture is sent without pictureUrl; members
//     the reference's structures lack (in goods items and transfer_action
//     rules) are refused, never dropped.
//   - Links carry flags as the table's types say ("1"/"0" for String and
//     Number flags, "true"/"false" for Boolean ones); the widget writes each
//     parameter in the JS type of the reference's examples.
//   - Query values are percent-encoded with %20 for spaces, so they decode
//     the same with decodeURIComponent and url.ParseQuery; parameters are in
//     byte order of their names, as url.Values.Encode orders them.
package sobot
