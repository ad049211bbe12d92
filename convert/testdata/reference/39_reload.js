zc('config', {
'reload': true //默认false不设置 建议不开启该功能
})
