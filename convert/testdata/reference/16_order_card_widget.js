var goods = [{"name":"saaadad","pictureUrl":encodeURIComponent("https://img.sobot.com/console/common/face/admin.png")}];
zc("config", {
order_status: 1,
status_custom: "自定义状态", //当order_status=0的时候,取该字段作为订单卡片的状态
create_time: "1586414406391",
order_code: 11111,
order_url: encodeURIComponent("http://www.sobot.com"),
goods_count: 2,
total_fee: 1000, //(以分为单位,total_fee=1000相当与total_fee=10.00元,不支持小数)
goods: JSON.stringify(goods),
});
