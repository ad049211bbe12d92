zc("offline_message_count",function(res){
console.log(res)
})
