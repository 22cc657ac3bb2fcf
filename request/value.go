package request

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// Value is one value of a context key: the text as given and its reading as
// the key's declared type, made once when the value is built (ParseValue,
// Context.Set), so that an operator of that type compares without parsing.
// A reading as another type (a NumericLessThan on a string key, say) is
// computed from the text each time it is asked for, with the same answer
// that reading the text at construction would give; nothing is cached, so a
// Value, and a Context holding it, may be read by any number of goroutines.
//
// A Value is 48 bytes and holds no pointer but its text (and, for a binary
// value, its decoded bytes). The zero value is the empty string, of type
// string.
type Value struct {
	raw string
	bin *[]byte // the Binary reading of a value of type binary
	// The reading of typ: numeric: w0 = float64 bits; boolean: w0 = 0 or
	// 1; date: w0 = Unix seconds, w1 = nanoseconds (UTC); ip: the 16
	// bytes of the address, big-endian, with flags&is4 for IPv4. With
	// flags&textInt, w1 is also the integer the text is formatted from.
	w0, w1 uint64
	typ    Type // scalar; TypeString: no reading is stored
	flags  uint8
}

const (
	is4     uint8 = 1 << iota // an ip value is IPv4
	textInt                   // the text is strconv.FormatInt(int64(w1), 10), formatted on demand
	textRFC                   // the text is the date formatted as time.RFC3339, on demand
)

// NewValue returns the value s with no declared type: it reads in every way
// an operator may ask for — as a decimal number, a date (ISO 8601 or epoch
// seconds), an IP address, a boolean and base64 — but each reading is made
// from the text when it is asked for (a number in about 20 ns, a date in
// about 50 ns; base64 allocates). A value that an operator reads as one type
// again and again is better built with ParseValue, which reads once.
// NewValue does not allocate.
func NewValue(s string) Value { return Value{raw: s} }

// ParseValue reads s as the scalar type of t (the type of a "...List" is
// its element's: TypeNumericList reads a number) and keeps the reading, as
// Context.Set does for each value it is given: numbers as plain decimals
// (ParseNumber), dates as ISO 8601 or epoch seconds (ParseDate), booleans
// as true or false in any case (ParseBool), IPs as IPv4 or IPv6 addresses
// without a zone (IPv4-mapped IPv6 read as IPv4), binaries as standard
// base64; a string is any text. It returns an error when s does not read
// as t. Every reading of the result, of t or of any other type, equals the
// reading of NewValue(s). It allocates only for a binary value (its bytes,
// twice) and for an error.
func ParseValue(t Type, s string) (Value, error) {
	if t >= numTypes {
		return Value{}, fmt.Errorf("invalid type %d", uint8(t))
	}
	t = t.Scalar()
	v := Value{raw: s, typ: t}
	ok := true
	switch t {
	case TypeNumeric:
		var n float64
		n, ok = ParseNumber(s)
		v.w0 = math.Float64bits(n)
	case TypeBoolean:
		var b bool
		b, ok = ParseBool(s)
		if b {
			v.w0 = 1
		}
	case TypeDate:
		var d time.Time
		d, ok = ParseDate(s)
		v.w0, v.w1 = uint64(d.Unix()), uint64(d.Nanosecond())
	case TypeIP:
		var a netip.Addr
		a, ok = parseIP(s)
		v.setIP(a)
	case TypeBinary:
		var b []byte
		if b, ok = parseBinary(s); ok {
			v.bin = &b
		}
	}
	if !ok {
		return Value{}, fmt.Errorf("value %q is not a valid %s", s, t)
	}
	return v, nil
}

// boolValue is "true" or "false", of type boolean.
func boolValue(b bool) Value {
	if b {
		return Value{raw: "true", typ: TypeBoolean, w0: 1}
	}
	return Value{raw: "false", typ: TypeBoolean}
}

// intValue is the decimal text of n, of type numeric. The text is formatted
// when asked for (String), so building the value never allocates.
func intValue(n int64) Value {
	return Value{typ: TypeNumeric, w0: math.Float64bits(float64(n)), w1: uint64(n), flags: textInt}
}

// dateValue is t formatted as time.RFC3339 in UTC, of type date, as
// ParseValue(TypeDate, that text) reads it (to the second). The text is
// formatted when asked for. A year outside 0 to 9999, which ParseDate does
// not read back, keeps its text and reads as no date, as NewValue would.
func dateValue(t time.Time) Value {
	t = t.UTC()
	if y := t.Year(); y < 0 || y > 9999 {
		return Value{raw: t.Format(time.RFC3339)}
	}
	return Value{typ: TypeDate, w0: uint64(t.Unix()), flags: textRFC}
}

func (v *Value) setIP(a netip.Addr) {
	b := a.As16()
	v.w0, v.w1 = binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])
	if a.Is4() {
		v.flags |= is4
	}
}

func parseIP(s string) (netip.Addr, bool) {
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" { // a zone (fe80::1%eth0) is no address AWS sends
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

func parseBinary(s string) ([]byte, bool) {
	if s == "" {
		return nil, false
	}
	d, err := base64.StdEncoding.DecodeString(s)
	if err != nil { // d holds what decoded before the error
		return nil, false
	}
	return d, true
}

// String returns the value's text as given. It allocates only for the MFA
// age, aws:EpochTime and aws:CurrentTime values that the Context methods
// set, whose text is formatted when asked for (an age under 100 seconds
// excepted).
func (v Value) String() string {
	switch {
	case v.flags&textInt != 0:
		return strconv.FormatInt(int64(v.w1), 10)
	case v.flags&textRFC != 0:
		return v.date().Format(time.RFC3339)
	}
	return v.raw
}

// Number returns the value read as a decimal number (ParseNumber).
func (v Value) Number() (float64, bool) {
	if v.typ == TypeNumeric {
		return math.Float64frombits(v.w0), true
	}
	return ParseNumber(v.String())
}

// Date returns the value read as a date (ParseDate), in UTC.
func (v Value) Date() (time.Time, bool) {
	if v.typ == TypeDate {
		return v.date(), true
	}
	return ParseDate(v.String())
}

func (v Value) date() time.Time { return time.Unix(int64(v.w0), int64(v.w1)).UTC() }

// IP returns the value read as an IPv4 or IPv6 address without a zone;
// IPv4-mapped IPv6 addresses are returned as IPv4.
func (v Value) IP() (netip.Addr, bool) {
	if v.typ == TypeIP {
		if v.flags&is4 != 0 {
			return netip.AddrFrom4([4]byte{byte(v.w1 >> 24), byte(v.w1 >> 16), byte(v.w1 >> 8), byte(v.w1)}), true
		}
		var b [16]byte
		binary.BigEndian.PutUint64(b[:8], v.w0)
		binary.BigEndian.PutUint64(b[8:], v.w1)
		return netip.AddrFrom16(b), true
	}
	return parseIP(v.String())
}

// Bool returns the value read as a boolean ("true" or "false", any case).
func (v Value) Bool() (bool, bool) {
	if v.typ == TypeBoolean {
		return v.w0 != 0, true
	}
	return ParseBool(v.String())
}

// Binary returns the value's bytes, decoded from standard base64. The slice
// must not be modified. For a value not built as binary, it is decoded (and
// allocated) on each call.
func (v Value) Binary() ([]byte, bool) {
	if v.typ == TypeBinary {
		return *v.bin, true
	}
	return parseBinary(v.String())
}

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
	offset := 0 // seconds east of UTC
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
				offset = sign * (zh*3600 + zm*60)
				i = j + 2
			default:
				return zero, false
			}
		}
	}
	if i != len(s) {
		return zero, false
	}
	// the wall clock read as UTC, then moved by the zone's offset: the
	// instant time.Date gives in a fixed zone, without allocating one
	t := time.Date(year, time.Month(month), day, hour, minute, sec, nsec, time.UTC)
	if t.Day() != day { // 2021-02-30 and the like
		return zero, false
	}
	return t.Add(-time.Duration(offset) * time.Second), true
}
