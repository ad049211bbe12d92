package sobot

import (
	"strconv"
	"strings"
	"time"
)

// accessor reads and writes one parameter of a Params in its wire text form,
// and says which texts it takes. The table pairs each row with one
// accessor, so encoding, parsing, validation, the allowed values the table
// shows and the CLI share one definition per parameter, without reflection
// on the hot path.
type accessor struct {
	// get returns the wire text and whether the parameter is set.
	get func(*Params) (string, bool)
	// set parses wire text into the field; it reports only syntax errors
	// (value ranges are checked by validation).
	set func(*Params, string) error
	// field returns the address of the Go field; the registry derives
	// ParamInfo.Field from it.
	field func(*Params) any
	// valid checks what get returns against the type's own values: a
	// flag's two texts, an enum's constants (a Toggle(7) or Locale("xx")
	// is set but not valid). Zero when any text is.
	valid check
	// says describes the wire syntax, for ParamInfo.Allowed: "1 (on), 0
	// (off)", a JSON shape. Empty for plain text and numbers.
	says string
	// values are the texts a flag or enum takes, with their Go values.
	values []AllowedValue
	// jsTrue and jsFalse are the wire texts that a JavaScript true and
	// false stand for (SetValue): "1" and "0", or "true" and "false",
	// whichever pair the flag takes, whatever it means (msg_flag: false is
	// msg_flag=0, the entry shown). jsFalse is "" for a flag sent only when
	// true (cut_flag=hide, manual: true).
	jsTrue, jsFalse string
}

// parseError is a syntax problem found by an accessor's set.
type parseError string

// errNotNumber is the syntax error of a number parameter.
const errNotNumber parseError = "must be a whole number"

// Error returns the reason.
func (e parseError) Error() string { return string(e) }

// text is a free-text parameter.
func text(f func(*Params) *string) accessor {
	return accessor{
		get:   func(p *Params) (string, bool) { v := *f(p); return v, v != "" },
		set:   func(p *Params, s string) error { *f(p) = s; return nil },
		field: func(p *Params) any { return f(p) },
	}
}

// enumText is a parameter whose Go type is a string enum holding the wire
// text (locale, source, order_status, ...): any text parses, the constants
// of e are valid.
func enumText[T ~string](e enum[T], f func(*Params) *T) accessor {
	wires := make([]string, len(e))
	for i, c := range e {
		wires[i] = string(c.value)
	}
	return accessor{
		get:    func(p *Params) (string, bool) { v := *f(p); return string(v), v != "" },
		set:    func(p *Params, s string) error { *f(p) = T(s); return nil },
		field:  func(p *Params) any { return f(p) },
		valid:  enumCheck(wires),
		values: enumValues(e, wires),
	}
}

// code is a small numeric enum whose Go value is its wire number and whose
// zero value means unset (type, title_flag, location).
func code[T ~uint8](e enum[T], f func(*Params) *T) accessor {
	wires := make([]string, len(e))
	for i, c := range e {
		wires[i] = itoa(int64(c.value))
	}
	return accessor{
		get: func(p *Params) (string, bool) { v := *f(p); return itoa(int64(v)), v != 0 },
		set: func(p *Params, s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 255 {
				return parseError("must be one of " + strings.Join(wires, ", "))
			}
			*f(p) = T(n)
			return nil
		},
		field:  func(p *Params) any { return f(p) },
		valid:  enumCheck(wires),
		values: enumValues(e, wires),
	}
}

// enumValues pairs the wire texts of e's constants with their Go names.
func enumValues[T comparable](e enum[T], wires []string) []AllowedValue {
	out := make([]AllowedValue, len(e))
	for i, c := range e {
		out[i] = AllowedValue{Wire: wires[i], Go: "sobot." + c.name}
	}
	return out
}

// flagForm is how a Toggle is written on the wire.
type flagForm uint8

const (
	flag10    flagForm = iota // On "1", Off "0"
	flag01                    // inverted: On "0", Off "1"
	flagTF                    // On "true", Off "false"
	flagTFNeg                 // inverted: On "false", Off "true"
)

// onOff returns the wire texts of On and Off for a Toggle form.
func (f flagForm) onOff() (on, off string) {
	switch f {
	case flag01:
		return "0", "1"
	case flagTF:
		return "true", "false"
	case flagTFNeg:
		return "false", "true"
	}
	return "1", "0"
}

// toggle is a Toggle-valued parameter.
func toggle(form flagForm, f func(*Params) *Toggle) accessor {
	on, off := form.onOff()
	return accessor{
		get: func(p *Params) (string, bool) {
			switch v := *f(p); v {
			case Unset:
				return "", false
			case On:
				return on, true
			case Off:
				return off, true
			default:
				return v.String(), true // rejected by validation
			}
		},
		set: func(p *Params, s string) error {
			switch s {
			case on:
				*f(p) = On
			case off:
				*f(p) = Off
			default:
				return parseError("must be " + on + " or " + off)
			}
			return nil
		},
		field:  func(p *Params) any { return f(p) },
		valid:  oneOf(on, off),
		says:   on + " (on), " + off + " (off)",
		values: []AllowedValue{{Wire: on, Go: "sobot.On"}, {Wire: off, Go: "sobot.Off"}},
		jsTrue: max(on, off), jsFalse: min(on, off), // "1" > "0", "true" > "false"
	}
}

// anyNonZero is is_link's toggle: 0 turns links off and, as the reference
// says, any other number leaves them on ("不为0的时候默认可跳转"). It writes
// 1 and 0, and reads every whole number.
func anyNonZero(f func(*Params) *Toggle) accessor {
	a := toggle(flag10, f)
	a.set = func(p *Params, s string) error {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return parseError("must be a whole number: 0 keeps links from opening, any other number lets them open")
		}
		if n == 0 {
			*f(p) = Off
		} else {
			*f(p) = On
		}
		return nil
	}
	a.says = "0 (off), any other whole number (on; sent as 1)"
	return a
}

// word is a bool sent as one fixed word when true ("hide", "true").
func word(w string, f func(*Params) *bool) accessor {
	return accessor{
		get: func(p *Params) (string, bool) { return w, *f(p) },
		set: func(p *Params, s string) error {
			if s != w {
				return parseError("must be " + w)
			}
			*f(p) = true
			return nil
		},
		field:  func(p *Params) any { return f(p) },
		says:   w,
		values: []AllowedValue{{Wire: w, Go: "true"}},
		jsTrue: w,
	}
}

// number is an optional integer parameter.
func number[T int | int64](f func(*Params) **T) accessor {
	return accessor{
		get: func(p *Params) (string, bool) {
			v := *f(p)
			if v == nil {
				return "", false
			}
			return itoa(int64(*v)), true
		},
		set: func(p *Params, s string) error {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return errNotNumber
			}
			v := T(n)
			*f(p) = &v
			return nil
		},
		field: func(p *Params) any { return f(p) },
	}
}

// millis is a time sent as Unix milliseconds.
func millis(f func(*Params) *time.Time) accessor {
	return accessor{
		get: func(p *Params) (string, bool) {
			t := *f(p)
			if t.IsZero() {
				return "", false
			}
			return itoa(t.UnixMilli()), true
		},
		set: func(p *Params, s string) error {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return parseError("must be Unix time in milliseconds")
			}
			*f(p) = time.UnixMilli(n).UTC()
			return nil
		},
		field: func(p *Params) any { return f(p) },
	}
}

// color is the theme colour: a leading '#' is dropped and letters lowered,
// since Sobot wants the bare lower-case form.
func color(f func(*Params) *string) accessor {
	a := text(f)
	a.get = func(p *Params) (string, bool) {
		c := *f(p)
		return strings.ToLower(strings.TrimPrefix(c, "#")), c != ""
	}
	return a
}

// jsonText is a parameter whose wire text is JSON (params, goods,
// transfer_action). enc must produce the canonical JSON; dec must reject
// any other shape. The empty value of the shape ("[]" or "{}") and null
// are refused, as they would silently mean "unset". shape describes the
// JSON, for messages; what names one element, for the empty-value message.
func jsonText[T any](shape, empty, what string, isSet func(T) bool, enc func(T) string, dec func(string) (T, error), f func(*Params) *T) accessor {
	return accessor{
		get: func(p *Params) (string, bool) {
			v := *f(p)
			if !isSet(v) {
				return "", false
			}
			return enc(v), true
		},
		set: func(p *Params, s string) error {
			switch strings.TrimSpace(s) {
			case empty, "null":
				return parseError("must hold at least one " + what + "; leave the parameter out for none")
			}
			v, err := dec(s)
			if err != nil {
				return err
			}
			*f(p) = v
			return nil
		},
		field: func(p *Params) any { return f(p) },
		says:  shape,
	}
}

// fieldsJSON is a Fields parameter (params, customer_fields).
func fieldsJSON(f func(*Params) *Fields) accessor {
	return jsonText("JSON object of strings, numbers or booleans", "{}", "field",
		func(m Fields) bool { return len(m) > 0 }, encodeFields, decodeFields, f)
}

// goodsJSON is the order card's goods array.
func goodsJSON(f func(*Params) *[]Goods) accessor {
	return jsonText(`JSON array of {"name","pictureUrl"} objects`, "[]", "item",
		func(g []Goods) bool { return len(g) > 0 },
		func(g []Goods) string { return string(appendGoods(nil, g, func(s string) string { return s })) },
		decodeGoods, f)
}

// transferJSON is transfer_action.
func transferJSON(f func(*Params) *[]TransferRule) accessor {
	return jsonText(`JSON array of {"actionType","optionId","deciId","spillId"} rules`, "[]", "rule",
		func(r []TransferRule) bool { return len(r) > 0 }, encodeTransferRules, decodeTransferRules, f)
}

// itoa formats n in base 10.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// jsonShapeError is the syntax error of a JSON parameter that does not
// parse as its shape.
func jsonShapeError(shape string) error { return parseError("must be a " + shape) }
