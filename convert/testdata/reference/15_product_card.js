zc("config",{
card_title:"云客服_智齿客服",
card_url:encodeURIComponent("http://www.sobot.com"),
card_desc:"云客服,在线客服系统,云呼叫中心,机器人客服,工单客服,智能客服",
card_note:"1500,2000",
card_picture:encodeURIComponent("https://img.sobot.com/console/common/face/admin.png")
})
