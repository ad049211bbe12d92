document.getElementById("btn").addEventListener("click",function(){
//可以拿到当前聊天窗体的状态 expand展开 collapse收起
zc('frame_status', function(data) {
console.log(data)
})
})
