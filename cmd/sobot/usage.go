package main

//go:generate go test -run=TestDoc -update

// usage is the manual: what sobot help prints, and, generated from it,
// the package documentation in doc.go. Edit it here, then run go generate.
const usage = `sobot builds and reads Sobot (智齿) customer-service chat links from the
shell: signed chat URLs, the widget's HTML block, leave-message,
mini-program and ticket-plugin links, and the parameters, notices and sign
of any such link. It validates exactly as package github.com/sobotgo/sobot
does.

Usage:
  sobot link [--pc] [--v6] [COMMON] [NAME=VALUE ...]
  sobot widget [--nonce N] [--v6] [COMMON] [NAME=VALUE ...]
  sobot leave-message [COMMON] [NAME=VALUE ...]
  sobot mini-program [--v6] [--webview HANDLER] [COMMON] [NAME=VALUE ...]
  sobot ticket [--params-file FILE] CONSOLE_URL [NAME=VALUE ...]
  sobot inspect [--key K] URL
  sobot params [--json]
  sobot convert [--package P] [FILE ...]
  sobot version
  sobot help [COMMAND]

COMMON: --sysnum S (or SOBOT_SYSNUM), --key K (or SOBOT_KEY; the flag wins),
        --base-url URL (or SOBOT_BASE_URL; default https://www.sobot.com),
        --params-file FILE ('-' = stdin: a JSON object keyed by wire names),
        --extra NAME=VALUE (repeatable): a parameter the reference lacks

Commands:
  link           a chat URL: H5, or PC with --pc; the v6 pages with --v6
  widget         the widget's HTML block: the zc stub, zc("config", ...) and
                 the loader (v6 with --v6), its script elements with the
                 CSP nonce --nonce
  leave-message  the stand-alone leave-message URL, never signed
  mini-program   the H5 chat URL for a WeChat mini-program's web-view
                 (source=10); with --webview HANDLER, the <web-view> WXML
                 element, its bindmessage the page method HANDLER
  ticket         a ticket-plugin link: CONSOLE_URL, the link the console
                 generates, with the ticket's fields as params
  inspect        a link's parameters, problems, notices and sign, as JSON
  params         the reference's parameter table, one row per line, its
                 Chinese description last; --json prints every field
  convert        Go code for a hand-written integration: the client, the
                 widget and the links of HTML pages, templates, scripts and
                 Sobot links in the FILEs (standard input when none)
  version        the version of the module sobot was built from; (devel)
                 when built from a checkout
  help           this text

Parameters:
  NAME is a parameter's wire name exactly as in 'sobot params' (partnerid,
  time, transfer_action, ...); the members of each goods item show there as
  goods[].name and goods[].pictureUrl and are set inside goods. VALUE is
  the text that would appear on the wire: "1" or "0" for most switches,
  JSON text for params, customer_fields, goods and transfer_action, which
  are sent in a canonical form that means the same to Sobot (< > &
  escaped; object keys sorted, but transfer_action's rules keep the
  reference's member order: actionType, optionId, deciId, spillId).
  Flags and NAME=VALUE arguments may come in any order; after "--" every
  argument is a NAME=VALUE. An empty VALUE leaves the parameter out, as
  if it were not given. --extra NAME=VALUE passes a parameter the
  reference lacks, as it is (an empty VALUE too: NAME= is sent).

  A params file holds a JSON object keyed by wire names whose values are
  written as the reference's JS config writes them, so they can be pasted
  from it: a string is the wire text; a boolean is its flag's wire text,
  the same boolean the JS config means (msg_flag: false, the entry shown,
  is msg_flag=0; reload: true is reload=true; false leaves a flag sent only
  when true, such as manual, unset); a whole number is an integer (120.0
  and 1.2e2 are 120), another number is kept as written for validation to
  judge; an object or array is the JSON text of a JSON-valued parameter;
  null leaves the parameter unset. For the widget, the file may hold the
  reference's pre_visit_args and cur_visit_args objects, which set their
  members (pre_visit_url, cur_thumbnail, ...); visit traces are
  widget-only, and the example's 'pcur_thumbnail' in cur_visit_args is
  reported as the misspelling of cur_thumbnail it is. NAME=VALUE
  arguments override the file. A NAME given twice (on the command line,
  with --extra, or in the file) is a problem, not a silent override.

  For ticket, NAME is a field's key as the console lists it
  (工单自定义字段 → 对接型字段) and VALUE its text; a --params-file object
  gives strings, numbers (kept as written) and booleans, null leaving a
  field out. Fields named like a product card's parameters (card_url, ...)
  are checked as those parameters are.

  An empty --sysnum, --base-url, --params-file, --nonce or --webview is a
  usage error, like an empty --key: it would silently mean the flag was
  left out (and the environment's value or the default taken instead).

Keys:
  With a key (--key or SOBOT_KEY) every chat URL, mini-program URL and
  widget is signed and needs partnerid; leave-message and ticket links are
  never signed. Prefer SOBOT_KEY to --key: command lines are visible to
  other users of the machine. An empty --key is a usage error, as it would
  silently turn signing off; an empty SOBOT_KEY means no key.

  A key the library refuses (shorter than 16 bytes, or with white space at
  either end) is refused: by the building commands as the "key" problem,
  reported with the parameters' problems (exit 1), as an invalid sysnum or
  --base-url is; by inspect, which has nothing else to validate, as a
  usage error naming where the key came from (exit 2).

  The key is never printed, not even in errors: messages name a misplaced
  argument by its position (argument 2 is the second after the command)
  rather than repeat it, a value repeated in a problem or notice is
  written as [REDACTED] where it holds a key from SOBOT_KEY or --key
  (however short), and so is any such key of 8 or more bytes anywhere on
  stderr.

Problems and notices:
  Every problem is reported at once: an invalid sysnum, base URL or key is
  reported with, not instead of, the problems of the parameters. After a
  successful build, what Sobot accepts but ignores (title_flag without
  top_bar_flag=1, vip_level without is_vip=1, a card on the PC page, more
  than 4 transfer_action rules, ...) follows on stderr, one
  "notice: NAME: reason" line each; the result on stdout and the exit
  status 0 are unchanged.

inspect:
  inspect reads a chat (H5 or PC, v2 or v6), leave-message, ticket-plugin
  or widget loader URL and prints

    {"kind": "h5"|"pc"|"leave-message"|"ticket"|"widget-loader",
     "version": "v2"|"v6", "base_url": ..., "sysnum": ...,
     "params": {wire name: value}, "unknown": [names],
     "signed": bool, "sign_valid": bool|null, "sign": ...,
     "problems": [{"param": ..., "value": ..., "reason": ...}],
     "notices": [{"param": ..., "value": ..., "reason": ...}],
     "verification": {...}, "explanation": ...}

  "params" holds every parameter but sysnum and sign, as received,
  decoded; "problems" what is wrong with the link, "notices" what Sobot
  accepts but ignores in it. For a ticket link, "base_url" is the
  console's link without params (what ticket takes), "sysnum" is empty
  (the console's link names the account in its own form) and "version"
  is v2.

  inspect checks the sign with the keys of --key (repeatable: the current
  key first, then keys being rotated out), or, without --key, with
  SOBOT_KEY when it is set. A sign that does not hold then exits 1, the
  JSON still printed: where SOBOT_KEY is exported, 'sobot inspect "$URL" |
  jq' also checks the sign, and fails (under set -o pipefail) on a link
  signed with another key. Run 'SOBOT_KEY= sobot inspect "$URL"' to only
  read the link. Without a key "sign_valid" is null; for leave-message,
  ticket and loader URLs, which Sobot does not check, it stays null unless
  the URL carries a sign. With a key, "verification" shows which key
  matched (matched_key, from 1), the signed text md5("<sysnum>" + <key> +
  "<partnerid>"), the expected and the received sign and the likely causes
  of a mismatch; "explanation" says the same in prose. The expected sign
  admits that partnerid: keep it out of tickets.

convert:
  convert reads HTML pages, template files (Go templates, Jinja, PHP, JSP,
  ERB, ...), scripts and Sobot links, standard input when no FILE is given
  (or for "-"), and prints one gofmt-formatted Go file (package chat, or
  --package) that builds the same with package github.com/sobotgo/sobot:
  the client, the widget's typed parameters and callbacks, one function
  per link. Values the page computes ({{.User.ID}}, <?= $uid ?>,
  window.currentUser.id) become arguments; a sign on the page becomes
  Config.Key. Every difference is a TODO comment in the code; those that
  change what is sent (a parameter left out, renamed or sent as an extra
  parameter; a call not converted) also follow on stderr, one
  "FILE:LINE: NAME: reason" line each, the exit status still 0. A file
  over 4 MiB, brackets nested more than 64 deep, a script mentioning Sobot
  that is not valid JavaScript, or input with nothing of Sobot is one such
  line and exit status 1; a file that cannot be read is a usage error.

Exit status:
  0  success: the result alone on stdout, followed by a newline; notices,
     if any, on stderr
  1  invalid parameters: nothing on stdout, one "NAME: reason" line per
     problem on stderr, every problem at once; a URL inspect cannot read;
     or inspect with a key and a sign that does not hold (the JSON is
     still printed)
  2  usage error: unknown command or flag, an empty --key, --sysnum,
     --base-url, --params-file, --nonce or --webview, missing sysnum, an
     argument that is not NAME=VALUE, an unreadable params file or one
     that is not a JSON object, a key inspect refuses

Examples:
  export SOBOT_SYSNUM=4c349791a07b46c1a70b8ac88aa23257 SOBOT_KEY=...
  sobot link partnerid=u-1001 uname=小丁 time=120
  sobot link --pc partnerid=u-1001 'transfer_action=[{"actionType":"to_group","optionId":"4","deciId":"g1"}]'
  sobot widget --nonce "$NONCE" partnerid=u-1001 color=04babc
  sobot leave-message uid=8f2a templateid=tpl-1 locale=en
  sobot mini-program --webview msgFn partnerid=u-1001
  sobot ticket "$TICKET_PLUGIN_URL" order_code=A-1001 amount=120
  echo '{"partnerid": "u-1001", "time": 120, "params": {"等级": "Boss"}}' | sobot link --params-file -
  sobot inspect --key "$SOBOT_KEY" --key "$OLD_KEY" "$URL"
  SOBOT_KEY= sobot inspect "$URL" | jq -r '.params.partnerid'
  sobot params --json | jq '.[] | select(.kinds | index("leave-message"))'
  sobot convert templates/product.html static/chat.js > chat.go
`
