zc("config",{
uname:"小丁哥", //客户名称
realname:"丁丁猫", //客户真实姓名
tel:"18888888888", //客户电话,
email:"dingmao@163.com", //客户邮箱
qq:"2345678", //客户qq号
face:'https://img.sobot.com/console/common/face/admin.png', //客户头像
remark:"vip客户,每次响应不能超过5秒钟" //客户备注信息
})
