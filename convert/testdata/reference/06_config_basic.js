zc("config",{
"color":"04babc",
"uname":"智齿客服"
})
