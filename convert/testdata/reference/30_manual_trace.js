document.getElementById("traceBtn").addEventListener("click",function(){
zc("trace",{
//上一页信息
pre_visit_args:{
'pre_abstract':'来源页的摘要 没有 则不传',
'pre_visit_url': '来源页的url 没有 则不传',
'pre_visit_title':'来源来的标题 没有 则不传',
'pre_thumbnail': '来源页的缩略图 没有 则不传',
'pre_tags':'来源页的标签 没有 则不传'
},
//当前页信息
cur_visit_args:{
'cur_abstract':'当前页的摘要 没有 则不传',
'cur_visit_url': '当前页的url 没有 则不传',
'cur_visit_title':'当前页的标题 没有 则不传',
'pcur_thumbnail': '当前页的缩略图 没有 则不传',
'cur_tags':'当前页的标签 没有 则不传'
}
})
})
