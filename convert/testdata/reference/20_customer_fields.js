var args= {
customField4:"北京智齿科技",
customField5:"小智呀"
};
zc("config",{
customer_fields:JSON.stringify(args)
})
