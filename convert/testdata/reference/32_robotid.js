zc("config",{
robotid:1, //机器人id
})
