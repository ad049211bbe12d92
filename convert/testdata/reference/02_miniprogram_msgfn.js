msgFn(e){
const {detail:{data}}=e
const url = data?data[0]:''
wx.downloadFile({
url,
success: function (res) {
const filePath = res.tempFilePath
wx.openDocument({
filePath,
success: function (res) {
console.log('打开文档成功')
}
})
}
})
}
