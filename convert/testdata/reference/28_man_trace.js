zc("config",{
man_trace:true, //开启收集用户方访问轨迹 默认不收集 也可在后台直接开启
})
