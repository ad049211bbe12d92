zc("config",{
invite_flag:true, //true关闭,默认开启
})
