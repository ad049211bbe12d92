// Chat for the single-page shop: loaded on every route.
const SOBOT_SYSNUM = "4c349791a07b46c1a70b8ac88aa23257";
const user = window.currentUser;

function onOfflineMessages(count) {
  document.title = "(" + count + ") Acme";
}

$(function () {
  zc("config", {
    partnerid: user.id,
    uname: `${user.firstName} ${user.lastName}`,
    face: user.avatar,
    anchor: true,
    reload: false,
    show_face: 1,
    'expand_size': 'half',
    cur_visit_args: {
      cur_visit_url: location.href,
      cur_visit_title: document.title,
    },
  });
  zc("receive_message", app.chat.onMessage);
  zc("offline_message_count", onOfflineMessages);
});

$("#chat-toggle").on("click", function () {
  zc("frame_status", function (state) {
    app.chat.state = state;
  });
});

$(".sku").click(function () {
  zc("trace", {
    cur_visit_args: {
      'cur_visit_title': 'SKU list',
      'cur_tags': 'sku,list',
    },
  });
});

window.addEventListener("message", function (e) {
  try {
    var m = JSON.parse(e.data);
    if (m.name === "zc_post_message" && m.data.action === "chat_collapse_window") {
      app.chat.state = "collapse";
    }
  } catch (err) {}
});

function openPCChat() {
  window.open("https://www.sobot.com/chat/pc/v2/index.html?sysnum=" + SOBOT_SYSNUM +
    "&partnerid=" + encodeURIComponent(user.id) + "&locale=en&groupid=g-sales");
}
