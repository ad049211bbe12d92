zc("config",{
invite:1, //是否开启自动邀请 1开启 0关闭 默认不开启
tip_title:'欢迎咨询', //主动邀请文案
submit_title:'开始聊天吧', //接受邀请按钮
first_timeout:2, //第一次加载延迟邀请时间 时间:s
over_timeout:10, //拒绝后再次邀请时间 时间:s
invite_count:5, //一天之内共邀请多少次
})
