package request_test

import (
	"bytes"
	"encoding/base64"
	"math"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/iameval/iameval/request"
)

// readings is every typed reading of a value, as an operator asks for it.
type readings struct {
	text   string
	num    uint64 // float64 bits: -0 and 0 differ
	numOK  bool
	date   time.Time
	dateOK bool
	ip     netip.Addr
	ipOK   bool
	b      bool
	bOK    bool
	bin    []byte
	binOK  bool
}

// reference reads s in every way at once, as NewValue did before values
// were read only as their type: the oracle the typed values must agree with.
func reference(s string) readings {
	r := readings{text: s}
	if n, ok := request.ParseNumber(s); ok {
		r.num, r.numOK = math.Float64bits(n), true
	}
	r.date, r.dateOK = request.ParseDate(s)
	if a, err := netip.ParseAddr(s); err == nil && a.Zone() == "" {
		r.ip, r.ipOK = a.Unmap(), true
	}
	r.b, r.bOK = request.ParseBool(s)
	if s != "" {
		if d, err := base64.StdEncoding.DecodeString(s); err == nil {
			r.bin, r.binOK = d, true
		}
	}
	return r
}

func read(v request.Value) readings {
	r := readings{text: v.String()}
	n, ok := v.Number()
	r.num, r.numOK = math.Float64bits(n), ok
	r.date, r.dateOK = v.Date()
	r.ip, r.ipOK = v.IP()
	r.b, r.bOK = v.Bool()
	r.bin, r.binOK = v.Binary()
	return r
}

// diff describes how got differs from want, or is "".
func (got readings) diff(want readings) string {
	var d []string
	if got.text != want.text {
		d = append(d, "text "+strconv.Quote(got.text))
	}
	if got.numOK != want.numOK || want.numOK && got.num != want.num {
		d = append(d, "number "+strconv.FormatFloat(math.Float64frombits(got.num), 'g', -1, 64)+" "+strconv.FormatBool(got.numOK))
	}
	// == on time.Time: the same instant, location and representation
	if got.dateOK != want.dateOK || got.date != want.date {
		d = append(d, "date "+got.date.String()+" "+strconv.FormatBool(got.dateOK))
	}
	if got.ipOK != want.ipOK || got.ip != want.ip {
		d = append(d, "ip "+got.ip.String()+" "+strconv.FormatBool(got.ipOK))
	}
	if got.bOK != want.bOK || got.b != want.b {
		d = append(d, "bool "+strconv.FormatBool(got.b)+" "+strconv.FormatBool(got.bOK))
	}
	if got.binOK != want.binOK || !bytes.Equal(got.bin, want.bin) {
		d = append(d, "binary "+strconv.Quote(string(got.bin))+" "+strconv.FormatBool(got.binOK))
	}
	return strings.Join(d, ", ")
}

// reads reports whether r has a reading of the scalar type t.
func (r readings) reads(t request.Type) bool {
	switch t.Scalar() {
	case request.TypeNumeric:
		return r.numOK
	case request.TypeDate:
		return r.dateOK
	case request.TypeIP:
		return r.ipOK
	case request.TypeBoolean:
		return r.bOK
	case request.TypeBinary:
		return r.binOK
	}
	return true
}

// valueCorpus: texts that read as one type, as several (5400 is a number,
// an epoch date and base64), or as none, and the edges of each parser.
var valueCorpus = []string{
	"", " ", "x", "alice", "arn:aws:iam::123456789012:user/alice", "ünïcode", "a\x00b",
	// numbers
	"0", "-0", "+0", "1", "-3", "+7", "10", "0.5", "1.", ".5", "-.5", "007", "3.14159265358979323846",
	"1e3", "1E3", "0x10", "1_000", "NaN", "Inf", "-Inf", "infinity", "1.5.5", "--1", "+", "-", ".",
	"9007199254740993", "18446744073709551616", "1" + strings.Repeat("0", 308), "1" + strings.Repeat("0", 309),
	"0." + strings.Repeat("0", 400) + "1",
	// dates
	"2017", "2017-07", "2017-07-01", "2017-07-01T10:30Z", "2017-07-01T10:30:15Z", "2017-07-01t10:30:15z",
	"2017-07-01T10:30:15.5Z", "2017-07-01T10:30:15.123456789Z", "2017-07-01T10:30:15.1234567891Z",
	"2017-07-01T10:30:15+02:00", "2017-07-01T10:30:15-0800", "2017-07-01T23:59:59-23:59", "2017-07-01T00:00:00+23:59",
	"2017-07-01T10:30:15+24:00", "2017-07-01T10:30:15+02", "2017-07-01T10:30", "2017-07-01T10", "2017-07-01T24:00Z",
	"2017-13-01", "2017-00-01", "2017-02-29", "2016-02-29", "2017-02-30", "2017-04-31", "2017-07-32", "17-07-01",
	"0000-01-01", "9999-12-31T23:59:59Z", "1969-12-31T23:59:59.999999999Z", "2017-07-01 10:30", "2017-07-01T10:30:15.Z",
	"1500000000", "1714564800", "9223372036854775807", "9223372036854775808", "-5", "1.5",
	// IPs
	"1.2.3.4", "203.0.113.7", "0.0.0.0", "255.255.255.255", "1.2.3.256", "1.2.3", "01.2.3.4", "::", "::1",
	"2001:db8::", "2001:DB8::1", "::ffff:1.2.3.4", "::ffff:102:304", "fe80::1%eth0", "1.2.3.4/32", "[::1]",
	// booleans
	"true", "false", "TRUE", "False", "tRuE", "yes", "t", "true ",
	// base64
	"aGVsbG8=", "aGVsbG8gd29ybGQ=", "YQ==", "YQ=", "YQ", "YR==", "TWFu", "abcd", "!!", "====", "5400", "1234", "0000",
	"Zm9v\nYmFy",
}

// TestTypedValueReadings: a value built as any type reads, as every type,
// exactly as reading its text in every way does (the old NewValue); it is
// refused (by ParseValue and by Context.Set) exactly when the text does not
// read as its type. NewValue reads as the reference too.
func TestTypedValueReadings(t *testing.T) {
	for _, s := range valueCorpus {
		checkReadings(t, s)
	}
}

// FuzzTypedValueReadings runs TestTypedValueReadings's check on any text:
//
//	go test -fuzz=FuzzTypedValueReadings -fuzztime 60s ./request/
func FuzzTypedValueReadings(f *testing.F) {
	for _, s := range valueCorpus {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { checkReadings(t, s) })
}

func checkReadings(t *testing.T, s string) {
	t.Helper()
	want := reference(s)
	if d := read(request.NewValue(s)).diff(want); d != "" {
		t.Errorf("NewValue(%q) reads %s", s, d)
	}
	for ty := request.TypeString; ty <= request.TypeDateList; ty++ {
		v, err := request.ParseValue(ty, s)
		if (err == nil) != want.reads(ty) {
			t.Errorf("ParseValue(%s, %q): error %v, but the text reads as %s: %v", ty, s, err, ty.Scalar(), want.reads(ty))
			continue
		}
		c := &request.Context{}
		if serr := c.Set("k", ty, s); (serr == nil) != (err == nil) {
			t.Errorf("Set(%s, %q) = %v, ParseValue = %v", ty, s, serr, err)
		}
		if err != nil {
			continue
		}
		if d := read(v).diff(want); d != "" {
			t.Errorf("ParseValue(%s, %q) reads %s", ty, s, d)
		}
		k, ok := c.Lookup("K")
		if !ok || len(k.Values) != 1 || k.Type != ty {
			t.Errorf("Set(%s, %q): key %+v", ty, s, k)
			continue
		}
		if d := read(k.Values[0]).diff(want); d != "" {
			t.Errorf("Set(%s, %q) value reads %s", ty, s, d)
		}
	}
	if _, err := request.ParseValue(request.TypeDateList+1, s); err == nil {
		t.Errorf("ParseValue of an invalid type accepted %q", s)
	}
}

// TestSetMFAReadings: the MFA age and the times the Context methods set,
// whose text is formatted only when asked for, read as their text does.
func TestSetMFAReadings(t *testing.T) {
	const alice = "arn:aws:iam::123456789012:user/alice"
	for _, secs := range []int64{-5, 0, 1, 9, 99, 100, 300, 5400, 86400, 1 << 31, 9_000_000_000} {
		c := request.SessionWithMFA(alice, "s3:GetObject", "*", time.Duration(secs)*time.Second)
		text := strconv.FormatInt(max(secs, 0), 10)
		k, _ := c.Lookup(request.KeyMultiFactorAuthAge)
		if d := read(k.Values[0]).diff(reference(text)); d != "" {
			t.Errorf("age %d reads %s", secs, d)
		}
		p, _ := c.Lookup(request.KeyMultiFactorAuthPresent)
		if d := read(p.Values[0]).diff(reference("true")); d != "" {
			t.Errorf("MultiFactorAuthPresent reads %s", d)
		}
	}
	c := request.SessionWithoutMFA(alice, "s3:GetObject", "*")
	if p, _ := c.Lookup(request.KeyMultiFactorAuthPresent); read(p.Values[0]).diff(reference("false")) != "" {
		t.Errorf("MultiFactorAuthPresent false reads %s", read(p.Values[0]).diff(reference("false")))
	}
	s := request.New("ec2.amazonaws.com", "sts:AssumeRole", "*")
	if p, _ := s.Lookup(request.KeyPrincipalIsAWSService); read(p.Values[0]).diff(reference("true")) != "" {
		t.Errorf("PrincipalIsAWSService reads %s", read(p.Values[0]).diff(reference("true")))
	}

	tokyo := time.FixedZone("JST", 9*3600)
	for _, tm := range []time.Time{
		time.Unix(0, 0), time.Unix(1714564800, 123456789), time.Date(2024, 5, 1, 21, 0, 0, 5, tokyo),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		c := &request.Context{}
		c.SetTime(tm)
		cur, _ := c.Lookup(request.KeyCurrentTime)
		if d := read(cur.Values[0]).diff(reference(tm.UTC().Format(time.RFC3339))); d != "" {
			t.Errorf("SetTime(%v): aws:CurrentTime reads %s", tm, d)
		}
		ep, _ := c.Lookup(request.KeyEpochTime)
		if d := read(ep.Values[0]).diff(reference(strconv.FormatInt(tm.Unix(), 10))); d != "" {
			t.Errorf("SetTime(%v): aws:EpochTime reads %s", tm, d)
		}
	}
}

// TestParseDateZones: a date with a zone is the instant time.Date gives in
// that fixed zone, in UTC, for every offset and at the edges of days,
// months and years.
func TestParseDateZones(t *testing.T) {
	for _, day := range []string{"2016-02-29", "2017-01-01", "2017-12-31", "0000-01-01", "9999-12-31"} {
		for _, clock := range []string{"00:00:00", "12:34:56.789", "23:59:59.999999999"} {
			for zh := 0; zh <= 23; zh += 1 {
				for _, zm := range []int{0, 30, 45, 59} {
					for _, sign := range []int{1, -1} {
						zone := "+"
						if sign < 0 {
							zone = "-"
						}
						zone += twoDigits(zh) + ":" + twoDigits(zm)
						s := day + "T" + clock + zone
						got, ok := request.ParseDate(s)
						ref, err := time.Parse("2006-01-02T15:04:05.999999999", day+"T"+clock)
						if err != nil {
							t.Fatal(err)
						}
						want := time.Date(ref.Year(), ref.Month(), ref.Day(), ref.Hour(), ref.Minute(), ref.Second(), ref.Nanosecond(),
							time.FixedZone("", sign*(zh*3600+zm*60))).UTC()
						if !ok || got != want {
							t.Errorf("ParseDate(%q) = %v, %v; want %v", s, got, ok, want)
						}
					}
				}
			}
		}
	}
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }
