var args = {
等级:"Boss",
惯称:"智齿sobot",
来自:"北京"
};
zc("config",{
params:JSON.stringify(args)
})
