<%@ page contentType="text/html;charset=UTF-8" %>
<html>
<body>
<script type="text/javascript">
  (function (w, d, e, x) {
    w[e] = function () { w.cbk = w.cbk || []; w.cbk.push(arguments); };
    x = d.createElement("script");
    x.async = true;
    x.id = "zhichiScript";
    x.src = "https://sg.sobot.com/chat/frame/v6/entrance.js?sysnum=3542411be2184c8cb6b48d66ca1b2730&channelid=4";
    d.body.appendChild(x);
  })(window, document, "zc");

  var rules = [
    {"actionType": "to_service", "optionId": "1", "deciId": "${vip.agentId}", "spillId": "2"},
    {"actionType": "to_group", "optionId": "4", "deciId": "cae6834444ac43e39d95b1725d2ae454"}
  ];
  var fields = {};
  fields["customField4"] = "${user.company}";
  zc("config", {
    partnerid: "${user.id}",
    uname: "${fn:escapeXml(user.name)}",
    type: 4,
    is_vip: 1,
    vip_level: "${vip.levelId}",
    transfer_action: JSON.stringify(rules),
    params: JSON.stringify({"等级": "${vip.levelName}", "来源": "官网"}),
    invite: 1,
    tip_title: '欢迎咨询',
    submit_title: '开始聊天吧',
    first_timeout: 2,
    over_timeout: 10,
    invite_count: 5,
    invite_flag: true,
    top_bar_flag: 1,
  });
</script>
</body>
</html>
