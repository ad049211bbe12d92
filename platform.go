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

// FlowType is the platform overflow mode (flowType). The zero value is unset;
// the constants carry the reference's wire numbers 0–3.
type FlowType uint8

// FlowType values; the wire number is in parentheses.
const (
	FlowOff         FlowType = iota + 1 // no overflow (0), Sobot's default
	FlowAll                             // overflow everything (1)
	FlowWhenBusy                        // overflow when busy (2)
	FlowWhenOffline                     // overflow when offline (3)
)

// flowTypeWire maps FlowType to the wire numbers, index = FlowType.
var flowTypeWire = [...]int{-1, 0, 1, 2, 3}
