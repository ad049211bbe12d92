zc("config", {
"emoji_state": "hide" // 默认不隐藏,设置为"hide"时隐藏
})
