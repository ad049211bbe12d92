package sobot

// Routing decides who receives the visitor (接待模式, VIP智能路由接待): the
// reception mode, a specific robot, agent or skill group, and smart-routing
// rules with overflow.
type Routing struct {
	// Mode is the reception mode (type).
	Mode ReceptionMode
	// RobotID picks a robot in multi-robot setups (robotid); see the console's
	// 设置 → 机器人信息.
	RobotID *int
	// FAQGroupID picks the robot's frequently-asked-question group (faqid).
	FAQGroupID *int
	// AgentID routes to one agent (agentid).
	AgentID string
	// GroupID routes to one skill group (groupid).
	GroupID string
	// WaitForAgent keeps a visitor routed with AgentID waiting for that agent:
	// On shows the "agent offline" prompt when the agent is offline, Off
	// hands the visitor to another online agent (agent_mode_flag: On 1, Off
	// 0).
	WaitForAgent Toggle
	// QueueFirst marks the visitor as a designated customer for the
	// "designated customers first" queue (queueFirst: On 1, Off 0).
	QueueFirst Toggle
	// Transfer is the smart-routing chain (transfer_action), 1 to 4 rules:
	// when one overflows, the visitor moves to the next.
	Transfer []TransferRule
}

// IsZero reports whether no routing field is set.
func (r Routing) IsZero() bool {
	return r.Mode == 0 && r.RobotID == nil && r.FAQGroupID == nil && r.AgentID == "" && r.GroupID == "" &&
		r.WaitForAgent == Unset && r.QueueFirst == Unset && len(r.Transfer) == 0
}

// ReceptionMode is who answers first (type).
type ReceptionMode uint8

const (
	// ModeRobotOnly is robot-only reception (1).
	ModeRobotOnly ReceptionMode = 1
	// ModeAgentOnly is human-agent-only reception (2).
	ModeAgentOnly ReceptionMode = 2
	// ModeRobotFirst is robot first, agent on request (3).
	ModeRobotFirst ReceptionMode = 3
	// ModeAgentFirst is agent first (4).
	ModeAgentFirst ReceptionMode = 4
)

// TransferTarget is what a transfer rule routes to (actionType).
type TransferTarget string

const (
	// ToAgent routes to one agent (to_service).
	ToAgent TransferTarget = "to_service"
	// ToGroup routes to a skill group (to_group).
	ToGroup TransferTarget = "to_group"
)

// Spill is the condition under which a rule overflows to the next one
// (spillId). Agent conditions go with ToAgent, group conditions with ToGroup.
type Spill uint8

const (
	// SpillAgentOffline overflows when the agent is offline (1).
	SpillAgentOffline Spill = 1
	// SpillAgentBusy overflows when the agent is busy (2).
	SpillAgentBusy Spill = 2
	// SpillAgentSmart lets Sobot decide for the agent (3).
	SpillAgentSmart Spill = 3
	// SpillGroupNoneOnline overflows when no agent of the group is online (4).
	SpillGroupNoneOnline Spill = 4
	// SpillGroupAllBusy overflows when all agents of the group are busy (5).
	SpillGroupAllBusy Spill = 5
	// SpillGroupOffDuty overflows outside the group's working hours (6).
	SpillGroupOffDuty Spill = 6
	// SpillGroupSmart lets Sobot decide for the group (7).
	SpillGroupSmart Spill = 7
)

// TransferRule is one entry of transfer_action. The wire's optionId (1–4)
// is derived from Target and whether Spill is set, so an inconsistent
// combination cannot be expressed:
//
//	ToAgent + Spill 1–3 → optionId 1 (overflows)   ToAgent, no Spill → 2
//	ToGroup + Spill 4–7 → optionId 3 (overflows)   ToGroup, no Spill → 4
//
// A zero Spill means the rule does not overflow, so it should be last.
type TransferRule struct {
	// Target is to_service (one agent) or to_group (a skill group).
	Target TransferTarget
	// ID is the agent's or group's id (deciId); required.
	ID string
	// Spill is the overflow condition (spillId); zero for no overflow.
	Spill Spill
}

// optionID returns the wire optionId for r.
func (r TransferRule) optionID() int {
	id := 1
	if r.Target == ToGroup {
		id = 3
	}
	if r.Spill == 0 {
		id++
	}
	return id
}
