zc("config",{
leave_msg_flag:true //输入框菜单区域的留言按钮 true开启 false关闭
msg_flag:false, //系统提示的留言引导和会话结束后的留言入口 false开启 true关闭
feedback_flag: true,//建立会话后的评价按钮 true开启 false关闭
photo_flag: true,//建立人工会话后是否允许上传附件 true开启 false关闭
show_evaluate: 0, //点击关闭是否开启评价,show_evaluate=1开启,默认不开启
})
