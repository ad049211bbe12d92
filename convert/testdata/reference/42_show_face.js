zc("config", {
"show_face": 1
})
