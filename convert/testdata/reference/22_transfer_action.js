// action数组中前一个数组元素溢出时会自动把客户交到后一个数组元素中
var action = [
{
"actionType":"to_group",
"optionId":"3",
"deciId":"162bb6bb038d4a9ea018241a30694064",
"spillId":"4"
},
{
"actionType": "to_group",
"optionId": "4",
"deciId": "cae6834444ac43e39d95b1725d2ae454"
}
];
var payload = JSON.stringify(action);
zc("config",{
transfer_action:payload,
})
