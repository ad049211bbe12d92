package sobot

import (
	"encoding/json"
	"strconv"
	"time"
)

// accessor reads and writes one parameter of a Params in its wire text form.
// The table pairs each row with one accessor, so encoding, parsing,
// validation and the CLI share one definition per parameter without
// reflection on the hot path.
type accessor struct {
	// get returns the wire text and whether the parameter is set.
	get func(*Params) (string, bool)
	// set parses wire text into the field; it reports only syntax errors
	// (value ranges are checked by validation).
	set func(*Params, string) error
	// field returns the address of the Go field, for the table's drift test.
	field func(*Params) any
	// valid checks what get can return for an out-of-range Go value (a
	// Toggle(7), say); nil when every value get returns is well-formed.
	valid checker
}

// parseError is a syntax problem found by an accessor's set.
type parseError string

// Parse errors that Params.Set completes with the row's allowed values.
const (
	errNotNumber  parseError = "must be a whole number"
	errNotAllowed parseError = "is not one of the allowed numbers"
)

// Error returns the reason.
func (e parseError) Error() string { return string(e) }

// text is a string-valued parameter (strings and string enums).
func text[T ~string](f func(*Params) *T) accessor {
	return accessor{
		get:   func(p *Params) (string, bool) { v := *f(p); return string(v), v != "" },
		set:   func(p *Params, s string) error { *f(p) = T(s); return nil },
		field: func(p *Params) any { return f(p) },
	}
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
		field: func(p *Params) any { return f(p) },
		valid: oneOf(on, off),
	}
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
		field: func(p *Params) any { return f(p) },
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

// code is a small numeric enum whose Go value is its wire number and whose
// zero value means unset (type, title_flag, location).
func code[T ~uint8](f func(*Params) *T) accessor {
	return accessor{
		get: func(p *Params) (string, bool) {
			v := *f(p)
			return itoa(int64(v)), v != 0
		},
		set: func(p *Params, s string) error {
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > 255 {
				return errNotAllowed
			}
			*f(p) = T(n)
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

// jsonText is a parameter whose wire text is JSON. enc must produce the
// canonical JSON; dec must reject any other shape.
func jsonText[T any](isSet func(T) bool, enc func(T) string, f func(*Params) *T) accessor {
	return accessor{
		get: func(p *Params) (string, bool) {
			v := *f(p)
			if !isSet(v) {
				return "", false
			}
			return enc(v), true
		},
		set: func(p *Params, s string) error {
			var v T
			if err := json.Unmarshal([]byte(s), &v); err != nil {
				return parseError("must be " + jsonShape(v))
			}
			*f(p) = v
			return nil
		},
		field: func(p *Params) any { return f(p) },
	}
}

// jsonShape names the JSON shape expected for a Go value, for messages.
func jsonShape(v any) string {
	switch v.(type) {
	case map[string]string:
		return `a JSON object of strings, e.g. {"key":"value"}`
	case []Goods:
		return `a JSON array of {"name":...,"pictureUrl":...} objects`
	}
	return "valid JSON"
}

// itoa formats n in base 10.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
