zc("config",{
auto_expand:true, //true 自动打开,默认不开启
})
