package sobot

// Platform holds the e-commerce platform fields (平台电商对接): a platform
// serving several shops can overflow a shop's visitors to another company.
type Platform struct {
	// UnionCode is the platform id (platformUnionCode).
	UnionCode string
	// Flow is when to overflow to FlowCompanyID (flowType).
	Flow FlowType
	// FlowCompanyID is the company that receives overflow (flowCompanyId).
	FlowCompanyID string
	// FlowGroupID is that company's skill group (flowGroupId).
	FlowGroupID string
}

// IsZero reports whether no platform field is set.
func (p Platform) IsZero() bool { return p == Platform{} }

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
