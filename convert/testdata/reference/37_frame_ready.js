//获取iframe加载完成的回调函数
zc("frame_ready", function() {
console.log('iframe加载完成')
})
