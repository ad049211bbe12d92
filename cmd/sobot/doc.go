// Command sobot builds and reads Sobot (智齿) customer-service chat links
// from the shell: signed chat URLs, the widget's HTML block, leave-message
// URLs, and the parameters (and sign check) of any such link. It is a thin
// layer over package github.com/sobotgo/sobot and validates exactly as the
// library does.
//
// Usage:
//
//	sobot link [--pc] [--v6] [COMMON] [NAME=VALUE ...]   signed chat URL (H5 unless --pc)
//	sobot widget [--nonce N] [COMMON] [NAME=VALUE ...]   HTML block: loader + zc("config", ...)
//	sobot leave-message [COMMON] [NAME=VALUE ...]        leave-message URL
//	sobot inspect [--key K] URL                          the link's parameters as JSON
//	sobot params [--json]                                the reference table
//	sobot convert [--package P] [FILE ...]               Go code for a hand-written integration
//	sobot help                                           this text
//
//	COMMON: --sysnum S (or SOBOT_SYSNUM), --key K (or SOBOT_KEY; the flag wins),
//	        --base-url URL (or SOBOT_BASE_URL; default https://www.sobot.com),
//	        --params-file FILE ('-' = stdin: a JSON object keyed by wire names)
//	        --extra NAME=VALUE (repeatable): a parameter the reference lacks
//
// NAME is a parameter's wire name exactly as in the reference table (sobot
// params lists them: partnerid, time, transfer_action, ...). VALUE is the
// text that would appear on the wire: "1" or "0" for most switches, JSON
// text for params, customer_fields, goods and transfer_action. In a params
// file, values may be JSON strings, numbers or booleans, and JSON objects
// or arrays for those four; each becomes its wire text, so the values of
// the reference's JS config can be pasted in. A boolean becomes its flag's
// wire text: true is "1" where the flag takes 1 and 0 and "true" where it
// takes true and false, false is "0" or "false" (msg_flag: false, the
// entry shown, is msg_flag=0), and false leaves a flag that takes only true
// (manual, custom) unset. A whole number is written as an integer (120.0
// and 1.2e2 are 120); any other number as written, for validation to judge.
// NAME=VALUE arguments override the file; a NAME given twice on the command
// line (or twice with --extra) is a problem, not a silent override. Values
// of JSON-valued parameters are sent in canonical form (object keys sorted,
// < > & escaped), which means the same to Sobot. Flags and NAME=VALUE
// arguments may come in any order; after "--" every argument is a
// NAME=VALUE. An empty --params-file or --nonce is a usage error, like an
// empty --key.
//
// With a key (--key or SOBOT_KEY) every chat URL and widget is signed and
// needs partnerid. Prefer SOBOT_KEY to --key: command lines are visible to
// other users of the machine. An empty --key is a usage error, as it would
// silently turn signing off; an empty SOBOT_KEY means no key. The key is
// never printed, not even in errors: messages name a misplaced argument by
// its position (argument 2 is the second after the command) rather than
// repeat it, a value repeated in a problem is written as [REDACTED] where
// it holds a key from SOBOT_KEY or --key, and so is any key of 8 or more
// characters anywhere on stderr. Leave-message URLs are never signed (see
// sobot.Client.LeaveMessageURL).
//
// Every problem is reported at once: an invalid sysnum or base URL is
// reported with, not instead of, the problems of the parameters.
//
// params prints the reference table, one row per line, with the
// reference's own (Chinese) description last; the members of each goods
// item show as goods[].name and goods[].pictureUrl. --json prints every
// field of sobot.ParamInfo as it is.
//
// inspect reads a chat (H5 or PC, v2 or v6), leave-message, ticket-plugin or
// widget loader URL and prints
//
//	{"kind": "h5"|"pc"|"leave-message"|"ticket"|"widget-loader",
//	 "version": "v2"|"v6", "base_url": ..., "sysnum": ...,
//	 "params": {wire name: value}, "unknown": [names],
//	 "signed": bool, "sign_valid": bool|null, "sign": ...,
//	 "problems": [{"param": ..., "value": ..., "reason": ...}],
//	 "verification": {...}, "explanation": ...}
//
// "params" holds every parameter but sysnum and sign, as received, decoded.
// "sign_valid" is null without a key. With a key (--key, repeatable: the
// current key first, then keys being rotated out; or SOBOT_KEY) it says
// whether the sign holds; for leave-message, ticket and loader URLs, which
// Sobot does not check, it stays null unless the URL carries a sign.
// "verification" then shows which key matched (matched_key, from 1), the
// signed text md5("<sysnum>" + <key> + "<partnerid>"), the expected and the
// received sign and the likely causes of a mismatch; "explanation" says the
// same in prose. The expected sign admits that partnerid: keep it out of
// tickets.
//
// convert reads HTML pages, template files (Go templates, Jinja, PHP, JSP,
// ERB, ...), scripts and Sobot links, standard input when no FILE is given
// (or for "-"), and prints one gofmt-formatted Go file (package chat, or
// --package) that builds the same with the library: the client, the
// widget's typed parameters and callbacks, one function per link. Values
// the page computes ({{.User.ID}}, <?= $uid ?>, window.currentUser.id)
// become arguments; a sign on the page becomes Config.Key. Every
// difference is a TODO comment in the code; those that change what is sent
// (a parameter left out, renamed, or sent as an extra parameter; a call not
// converted) are also printed on stderr as "FILE:LINE: NAME: reason" lines,
// with exit status 0. A file larger than 4 MiB, brackets nested more than 64
// deep, a script mentioning Sobot that is not valid JavaScript, or input
// with nothing of Sobot in it is one such line and exit status 1; a file
// that cannot be read is a usage error.
//
// Exit status:
//
//	0  success: the result alone on stdout, followed by a newline
//	1  invalid parameters: nothing on stdout, one "NAME: reason" line per
//	   problem on stderr, every problem at once; or inspect with a key and a
//	   sign that does not hold (the JSON is still printed)
//	2  usage error: unknown command or flag, an empty --key, missing
//	   sysnum, an argument that is not NAME=VALUE, an unreadable params
//	   file or one that is not a JSON object
//
// Examples:
//
//	export SOBOT_SYSNUM=4c349791a07b46c1a70b8ac88aa23257 SOBOT_KEY=...
//	sobot link partnerid=u-1001 uname=小丁 time=120
//	sobot link --pc partnerid=u-1001 'transfer_action=[{"actionType":"to_group","optionId":"4","deciId":"g1"}]'
//	sobot widget --nonce "$NONCE" partnerid=u-1001 color=04babc
//	sobot leave-message uid=8f2a templateid=tpl-1 locale=en
//	echo '{"partnerid": "u-1001", "time": 120, "params": {"等级": "Boss"}}' | sobot link --params-file -
//	sobot inspect "https://www.sobot.com/chat/h5/v2/index.html?partnerid=u-1001&sign=...&sysnum=..."
//	sobot params --json | jq '.[] | select(.scope | index("leave-message"))'
//	sobot convert templates/product.html static/chat.js > chat.go
package main
