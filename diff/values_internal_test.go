package diff

import (
	"slices"
	"testing"
)

// TestIPProbes pins the addresses tried for each range an IP condition
// names (condition operators page: IpAddress matches "the specified IP
// address or range", written as RFC 4632 CIDR): its first and last
// address, and the one just outside each end, IPv4 and IPv6 alike; a
// range at an end of the address space has no address beyond it.
func TestIPProbes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"10.0.0.0/16", []string{"10.0.0.0", "10.0.255.255", "9.255.255.255", "10.1.0.0"}},
		{"10.0.3.7/16", []string{"10.0.0.0", "10.0.255.255", "9.255.255.255", "10.1.0.0"}},
		{"192.0.2.7", []string{"192.0.2.7", "192.0.2.6", "192.0.2.8"}},
		{"192.0.2.7/32", []string{"192.0.2.7", "192.0.2.6", "192.0.2.8"}},
		{"0.0.0.0/0", []string{"0.0.0.0", "255.255.255.255"}},
		{"255.255.255.0/24", []string{"255.255.255.0", "255.255.255.255", "255.255.254.255"}},
		{"2001:db8::/32", []string{"2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", "2001:db9::"}},
		{"2001:db8::1", []string{"2001:db8::1", "2001:db8::", "2001:db8::2"}},
		{"::/0", []string{"::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}},
		{"not-an-address", []string{"not-an-address"}},
	} {
		if got := ipProbes(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("ipProbes(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestAroundProbes pins the values tried either side of a number or date
// a condition names, in the form it is written in.
func TestAroundProbes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		date bool
		want []string
	}{
		{"100", false, []string{"100", "99", "101"}},
		{"0.5", false, []string{"0.5", "-0.5", "1.5"}},
		{"1893456000", true, []string{"1893456000", "1893455999", "1893456001"}},
		{"2030-01-01T00:00:00Z", true, []string{"2030-01-01T00:00:00Z", "2029-12-31T23:59:59Z", "2030-01-01T00:00:01Z"}},
		{"2030-01-01T00:00:00.5Z", true, []string{"2030-01-01T00:00:00.5Z", "2029-12-31T23:59:59Z", "2030-01-01T00:00:01Z"}},
		{"2030-01-01T00:00:00Z", false, []string{"2030-01-01T00:00:00Z"}},
		{"${aws:CurrentTime}", true, []string{"${aws:CurrentTime}"}},
	} {
		if got := aroundProbes(tc.in, tc.date); !slices.Equal(got, tc.want) {
			t.Errorf("aroundProbes(%q, %v) = %q, want %q", tc.in, tc.date, got, tc.want)
		}
	}
}
