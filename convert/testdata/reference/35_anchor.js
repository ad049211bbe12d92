// true 新窗口打开咨询页 false 打开悬浮窗咨询页(默认值)
zc("config",{
anchor:true
})
