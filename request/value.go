package request

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Value is one value of a context key: the text as given, and every typed
// reading of that text that succeeded. Readings are made once, when the value
// is built, so that condition operators compare without parsing.
// The zero value is the empty string with no typed reading.
type Value struct {
	raw   string
	flags uint8
	b     bool
	num   float64
	date  time.Time
	ip    netip.Addr
	bin   []byte
}

const (
	hasNum uint8 = 1 << iota
	hasDate
	hasIP
	hasBool
	hasBin
)

// NewValue reads s in every way an operator may need: as a decimal number, a
// date (ISO 8601 or epoch seconds), an IP address, a boolean and base64.
func NewValue(s string) Value {
	v := Value{raw: s}
	if n, ok := ParseNumber(s); ok {
		v.num, v.flags = n, v.flags|hasNum
	}
	if d, ok := ParseDate(s); ok {
		v.date, v.flags = d, v.flags|hasDate
	}
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" { // a zone (fe80::1%eth0) is no address AWS sends
		v.ip, v.flags = a.Unmap(), v.flags|hasIP
	}
	if b, ok := ParseBool(s); ok {
		v.b, v.flags = b, v.flags|hasBool
	}
	if s != "" {
		if d, err := base64.StdEncoding.DecodeString(s); err == nil {
			v.bin, v.flags = d, v.flags|hasBin
		}
	}
	return v
}

// String returns the value's text as given.
func (v Value) String() string { return v.raw }

// Number returns the value read as a decimal number.
func (v Value) Number() (float64, bool) { return v.num, v.flags&hasNum != 0 }

// Date returns the value read as a date (see ParseDate).
func (v Value) Date() (time.Time, bool) { return v.date, v.flags&hasDate != 0 }

// IP returns the value read as an IPv4 or IPv6 address; IPv4-mapped IPv6
// addresses are returned as IPv4.
func (v Value) IP() (netip.Addr, bool) { return v.ip, v.flags&hasIP != 0 }

// Bool returns the value read as a boolean ("true" or "false", any case).
func (v Value) Bool() (bool, bool) { return v.b, v.flags&hasBool != 0 }

// Binary returns the value's bytes, decoded from standard base64. The slice
// must not be modified.
func (v Value) Binary() ([]byte, bool) { return v.bin, v.flags&hasBin != 0 }

// ParseBool reads "true" or "false" in any letter case, as AWS's evaluator
// does for Bool conditions.
func ParseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"):
		return true, true
	case strings.EqualFold(s, "false"):
		return false, true
	}
	return false, false
}

// ParseNumber reads a plain decimal number: an optional sign, digits, and an
// optional fraction ("10", "-3", "0.5", "1."). Exponents, hexadecimal,
// underscores, infinities and NaN are not numbers to IAM and are refused.
func ParseNumber(s string) (float64, bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			digits++
		}
	}
	if digits == 0 || i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil { // out of range: ±Inf with ErrRange
		return 0, false
	}
	return f, true
}

// ParseDate reads a date the way IAM's policy language does. A value that
// contains 'T', 't' or '-' is read as a W3C profile of ISO 8601: YYYY,
// YYYY-MM, YYYY-MM-DD, or YYYY-MM-DDThh:mm with optional :ss, optional
// fraction and an optional zone (Z or ±hh:mm; none means UTC). Anything else
// is read as whole seconds since the Unix epoch, 0 to 2^63-1. A date without
// a time is midnight UTC of that day.
func ParseDate(s string) (time.Time, bool) {
	if strings.ContainsAny(s, "Tt-") {
		return parseISO(s)
	}
	if s == "" {
		return time.Time{}, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// digitsAt reads exactly n digits at s[i:].
func digitsAt(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for k := i; k < i+n; k++ {
		c := s[k]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

func parseISO(s string) (time.Time, bool) {
	var zero time.Time
	year, ok := digitsAt(s, 0, 4)
	if !ok {
		return zero, false
	}
	month, day := 1, 1
	hour, minute, sec, nsec := 0, 0, 0, 0
	loc := time.UTC
	i := 4
	if i < len(s) {
		if s[i] != '-' {
			return zero, false
		}
		if month, ok = digitsAt(s, i+1, 2); !ok || month < 1 || month > 12 {
			return zero, false
		}
		i += 3
	}
	if i < len(s) {
		if s[i] != '-' {
			return zero, false
		}
		if day, ok = digitsAt(s, i+1, 2); !ok || day < 1 || day > 31 {
			return zero, false
		}
		i += 3
	}
	if i < len(s) {
		if s[i] != 'T' && s[i] != 't' {
			return zero, false
		}
		if hour, ok = digitsAt(s, i+1, 2); !ok || hour > 23 {
			return zero, false
		}
		if i+3 >= len(s) || s[i+3] != ':' {
			return zero, false
		}
		if minute, ok = digitsAt(s, i+4, 2); !ok || minute > 59 {
			return zero, false
		}
		i += 6
		if i < len(s) && s[i] == ':' {
			if sec, ok = digitsAt(s, i+1, 2); !ok || sec > 59 {
				return zero, false
			}
			i += 3
			if i < len(s) && s[i] == '.' {
				i++
				start, scale := i, 100000000
				for i < len(s) && s[i] >= '0' && s[i] <= '9' {
					nsec += int(s[i]-'0') * scale
					scale /= 10
					i++
				}
				if i == start {
					return zero, false
				}
			}
		}
		if i < len(s) {
			switch s[i] {
			case 'Z', 'z':
				i++
			case '+', '-':
				sign := 1
				if s[i] == '-' {
					sign = -1
				}
				zh, ok1 := digitsAt(s, i+1, 2)
				j := i + 3
				if j < len(s) && s[j] == ':' {
					j++
				}
				zm, ok2 := digitsAt(s, j, 2)
				if !ok1 || !ok2 || zh > 23 || zm > 59 {
					return zero, false
				}
				loc = time.FixedZone("", sign*(zh*3600+zm*60))
				i = j + 2
			default:
				return zero, false
			}
		}
	}
	if i != len(s) {
		return zero, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, loc)
	if t.Day() != day { // 2021-02-30 and the like
		return zero, false
	}
	return t.UTC(), true
}
