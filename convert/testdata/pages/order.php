<?php
  $goods = array_map(function ($it) { return ['name' => $it->name, 'pictureUrl' => $it->image]; }, $order->items);
?>
<!DOCTYPE html>
<html>
<body>
<h1>订单 <?= $order->code ?></h1>
<button id="contact">联系客服</button>
<script src="https://www.sobot.com/chat/frame/v2/entrance.js?sysnum=ed22902866fb4f6e9bc7f0fa259aaa74" id="zhichiScript" async></script>
<script>
  window.zc = window.zc || function () { (window.cbk = window.cbk || []).push(arguments); };
  var goods = <?php echo json_encode($goods); ?>;
  zc("config", {
    partnerid: "<?= $user->id ?>",
    uname: "<?= htmlspecialchars($user->name) ?>",
    manual: true,
    locale: 'en',
    order_status: <?= $order->status ?>,
    status_custom: "待确认",
    create_time: "<?= $order->created_ms ?>",
    order_code: "<?= $order->code ?>",
    order_url: encodeURIComponent("https://shop.example.com/orders/<?= $order->code ?>"),
    goods_count: 2,
    total_fee: <?= $order->fee_cents ?>,
    goods: JSON.stringify(goods),
    visitTitle: "订单详情",
  });
  document.getElementById("contact").addEventListener("click", function () {
    zc("frame_manual", function (res) {
      if (res.code !== "000000") { alert("客服暂时不可用"); }
    });
  });
</script>
</body>
</html>
