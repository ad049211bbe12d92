zc("config",{
to_customsys_flag:true,
to_customsys_url:'https://www.sobot.com'
})
