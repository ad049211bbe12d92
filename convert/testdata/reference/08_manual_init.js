//第一步
zc("config", {
"manual": true, //设置成手动初始化
})
//第二步 通过事件手动初始化
document.getElementById("customBtn").addEventListener("click",function(){
zc("frame_manual", function (res) {
console.log("初始化成功")
}
})
