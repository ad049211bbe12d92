package sobot

// hashDataID is the id of the data block of the widget's hash-policy
// variant.
const hashDataID = "sobot-widget-config"
