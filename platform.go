package sobot

// Platform holds the e-commerce platform fields (平台电商对接): a platform
// serving several shops can overflow a shop's visitors to another company.
type Platform struct {
	// UnionCode is the platform id (platformUnionCode).
	UnionCode string `url:"platformUnionCode,omitempty"`
	// Flow is when to overflow to FlowCompanyID (flowType).
	Flow FlowType `url:"flowType,omitempty"`
	// FlowCompanyID is the company that receives overflow (flowCompanyId).
	FlowCompanyID string `url:"flowCompanyId,omitempty"`
	// FlowGroupID is that company's skill group (flowGroupId).
	FlowGroupID string `url:"flowGroupId,omitempty"`
}

// FlowType is the platform overflow mode (flowType). Its value is the wire
// number as text, so FlowType("1") and FlowAll are the same; the zero value
// is unset.
type FlowType string

// FlowType values.
const (
	FlowOff         FlowType = "0" // no overflow, Sobot's default
	FlowAll         FlowType = "1" // overflow everything
	FlowWhenBusy    FlowType = "2" // overflow when busy
	FlowWhenOffline FlowType = "3" // overflow when offline
)
