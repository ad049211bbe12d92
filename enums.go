package sobot

import (
	"fmt"
	"reflect"
)

// This file names the constants of the package's enumerated types, once
// each: GoString prints a value as its constant (sobot.On,
// sobot.OrderPendingPayment), so %#v and generated code read as code, and
// the table derives the allowed values of enum parameters from the same
// lists. TestEnumNames checks every list against the constant declarations.

// enumConst is one constant of an enumerated type and its Go name.
type enumConst[T comparable] struct {
	value T
	name  string
}

// enum lists the constants of an enumerated type, in declaration order.
type enum[T comparable] []enumConst[T]

// goString returns "sobot.Name" for a constant of e, else a conversion such
// as `sobot.Locale("xx")` or `sobot.Toggle(7)` that still compiles.
func (e enum[T]) goString(v T) string {
	for _, c := range e {
		if c.value == v {
			return "sobot." + c.name
		}
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return fmt.Sprintf("sobot.%s(%q)", rv.Type().Name(), rv.String())
	}
	return fmt.Sprintf("sobot.%s(%d)", rv.Type().Name(), rv.Uint())
}

var (
	toggleNames = enum[Toggle]{{Unset, "Unset"}, {On, "On"}, {Off, "Off"}}
	kindNames   = enum[Kind]{{KindH5, "KindH5"}, {KindPC, "KindPC"}, {KindWidget, "KindWidget"},
		{KindLeaveMessage, "KindLeaveMessage"}, {KindTicket, "KindTicket"}}
	versionNames = enum[Version]{{V2, "V2"}, {V6, "V6"}}
	localeNames  = enum[Locale]{{LocaleChinese, "LocaleChinese"}, {LocaleEnglish, "LocaleEnglish"},
		{LocaleTraditional, "LocaleTraditional"}}
	titleModeNames = enum[TitleMode]{{TitleCompany, "TitleCompany"}, {TitleCustom, "TitleCustom"}, {TitleAgent, "TitleAgent"}}
	sourceNames    = enum[Source]{{SourceDesktop, "SourceDesktop"}, {SourceWeChat, "SourceWeChat"}, {SourceApp, "SourceApp"},
		{SourceWeibo, "SourceWeibo"}, {SourceMobile, "SourceMobile"}, {SourceWeCom, "SourceWeCom"},
		{SourceMiniProgram, "SourceMiniProgram"}}
	modeNames = enum[ReceptionMode]{{ModeRobotOnly, "ModeRobotOnly"}, {ModeAgentOnly, "ModeAgentOnly"},
		{ModeRobotFirst, "ModeRobotFirst"}, {ModeAgentFirst, "ModeAgentFirst"}}
	targetNames = enum[TransferTarget]{{ToAgent, "ToAgent"}, {ToGroup, "ToGroup"}}
	spillNames  = enum[Spill]{{SpillAgentOffline, "SpillAgentOffline"}, {SpillAgentBusy, "SpillAgentBusy"},
		{SpillAgentSmart, "SpillAgentSmart"}, {SpillGroupNoneOnline, "SpillGroupNoneOnline"},
		{SpillGroupAllBusy, "SpillGroupAllBusy"}, {SpillGroupOffDuty, "SpillGroupOffDuty"}, {SpillGroupSmart, "SpillGroupSmart"}}
	orderStatusNames = enum[OrderStatus]{{OrderCustomStatus, "OrderCustomStatus"}, {OrderPendingPayment, "OrderPendingPayment"},
		{OrderPendingShipment, "OrderPendingShipment"}, {OrderInTransit, "OrderInTransit"},
		{OrderOutForDelivery, "OrderOutForDelivery"}, {OrderCompleted, "OrderCompleted"},
		{OrderPendingReview, "OrderPendingReview"}, {OrderCancelled, "OrderCancelled"}}
	flowNames = enum[FlowType]{{FlowOff, "FlowOff"}, {FlowAll, "FlowAll"}, {FlowWhenBusy, "FlowWhenBusy"},
		{FlowWhenOffline, "FlowWhenOffline"}}
	locationNames   = enum[Location]{{BottomRight, "BottomRight"}, {BottomLeft, "BottomLeft"}}
	expandSizeNames = enum[ExpandSize]{{ExpandHalf, "ExpandHalf"}, {ExpandFull, "ExpandFull"}}
)

// GoString returns the constant's Go name, such as "sobot.On".
func (t Toggle) GoString() string { return toggleNames.goString(t) }

// GoString returns the constant's Go name, such as "sobot.V6".
func (v Version) GoString() string { return versionNames.goString(v) }

// GoString returns the constant's Go name, such as "sobot.LocaleEnglish".
func (l Locale) GoString() string { return localeNames.goString(l) }

// GoString returns the constant's Go name, such as "sobot.TitleCustom".
func (m TitleMode) GoString() string { return titleModeNames.goString(m) }

// GoString returns the constant's Go name, such as "sobot.SourceMobile".
func (s Source) GoString() string { return sourceNames.goString(s) }

// GoString returns the constant's Go name, such as "sobot.ModeRobotFirst".
func (m ReceptionMode) GoString() string { return modeNames.goString(m) }

// GoString returns the constant's Go name, such as "sobot.ToGroup".
func (t TransferTarget) GoString() string { return targetNames.goString(t) }

// GoString returns the constant's Go name, such as "sobot.SpillGroupAllBusy".
func (s Spill) GoString() string { return spillNames.goString(s) }

// GoString returns the constant's Go name, such as "sobot.OrderCompleted".
func (s OrderStatus) GoString() string { return orderStatusNames.goString(s) }

// GoString returns the constant's Go name, such as "sobot.FlowWhenBusy".
func (f FlowType) GoString() string { return flowNames.goString(f) }

// GoString returns the constant's Go name, such as "sobot.BottomLeft".
func (l Location) GoString() string { return locationNames.goString(l) }

// GoString returns the constant's Go name, such as "sobot.ExpandHalf".
func (e ExpandSize) GoString() string { return expandSizeNames.goString(e) }
