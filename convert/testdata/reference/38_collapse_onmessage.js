window.onmessage = function(e){
if(e&&e.data){
const {name,data} = JSON.parse(e.data);
if(name==='zc_post_message'){
const {action,} = data;
//监听 action 为 chat_collapse_window 的postmessage
switch(data.action){
case 'chat_collapse_window':
// your code here...
break;
}
}
}
}
