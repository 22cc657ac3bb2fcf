package condition

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/iameval/iameval/request"
)

// Condition is one compiled condition clause: an operator, a key, and the
// values the policy lists for that key. It is immutable and safe for
// concurrent use.
type Condition struct {
	Op     Operator
	Key    string
	values []operand
	vars   []string
	// exact holds the values of a long, variable-free StringEquals or
	// StringNotEquals list, for a lookup in constant time.
	exact map[string]struct{}
}

// exactSetMin is the number of values from which an exact-match list is
// looked up in a set rather than compared one by one.
const exactSetMin = 8

type operand struct {
	raw string
	pat Pattern // string operators; ARN operators on non-ARN patterns
	// arn, for ARN operators on an ARN pattern, has one pattern per ARN
	// component; nil otherwise (a pointer: six patterns are 384 bytes,
	// which every operand of every other kind would carry)
	arn  *[6]Pattern
	num  float64
	date time.Time
	ip   netip.Prefix
	b    bool
	bin  []byte
}

// Compile compiles one clause. values are the policy's values as text (JSON
// numbers and booleans in their literal spelling). variables says whether the
// policy's Version enables policy variables. Compile reports every value that
// IAM would refuse for the operator: numbers that are not decimals, dates
// that are neither ISO 8601 nor epoch seconds, IP addresses and CIDR blocks
// that do not parse, booleans other than true and false, invalid base64,
// Null values other than true and false, and variables in operators that do
// not take them.
func Compile(op Operator, key string, values []string, variables bool) (*Condition, []*Error) {
	c := &Condition{Op: op, Key: key, values: make([]operand, len(values))}
	var errs []*Error
	bad := func(i int, code, format string, args ...any) {
		errs = append(errs, &Error{Code: code, Index: i, Msg: fmt.Sprintf(format, args...)})
	}
	fam := op.Base.Family()
	for i, v := range values {
		o := &c.values[i]
		o.raw = v
		if variables && fam != FamilyString && fam != FamilyARN && strings.Contains(v, "${") {
			if _, _, ok := parseVariable(v[strings.Index(v, "${"):]); ok {
				bad(i, CodeVariable, "%s does not take policy variables (only String and Arn operators do): %q", op.Base, v)
				continue
			}
		}
		switch fam {
		case FamilyString:
			like := op.Base == StringLike || op.Base == StringNotLike
			o.pat = CompilePattern(v, PatternOptions{Wildcards: like, Variables: variables})
			c.vars = append(c.vars, o.pat.Variables()...)
		case FamilyARN:
			parts, ok := splitPattern(v)
			if ok {
				o.arn = new([6]Pattern)
				for k := range parts {
					o.arn[k] = CompilePattern(parts[k], PatternOptions{Wildcards: true, Variables: variables})
					c.vars = append(c.vars, o.arn[k].Variables()...)
				}
			} else {
				o.pat = CompilePattern(v, PatternOptions{Wildcards: true, Variables: variables})
				c.vars = append(c.vars, o.pat.Variables()...)
			}
		case FamilyNumeric:
			n, ok := request.ParseNumber(v)
			if !ok {
				bad(i, CodeBadNumber, "%s: %q is not a number", op.Base, v)
			}
			o.num = n
		case FamilyDate:
			d, ok := request.ParseDate(v)
			if !ok {
				bad(i, CodeBadDate, "%s: %q is neither an ISO 8601 date nor epoch seconds", op.Base, v)
			}
			o.date = d
		case FamilyBool:
			b, ok := request.ParseBool(v)
			if !ok {
				bad(i, CodeBadBool, "Bool: %q is neither true nor false", v)
			}
			o.b = b
		case FamilyBinary:
			d, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				bad(i, CodeBadBinary, "BinaryEquals: %q is not base64", v)
			}
			o.bin = d
		case FamilyIP:
			p, ok := parsePrefix(v)
			if !ok {
				bad(i, CodeBadIP, "%s: %q is not an IP address or CIDR block", op.Base, v)
			}
			o.ip = p
		case FamilyNull:
			b, ok := request.ParseBool(v)
			if !ok {
				bad(i, CodeBadNull, "Null: %q is neither true nor false", v)
			}
			o.b = b
		}
	}
	if errs != nil {
		return nil, errs
	}
	if (op.Base == StringEquals || op.Base == StringNotEquals) && len(c.values) >= exactSetMin {
		set := make(map[string]struct{}, len(c.values))
		for i := range c.values {
			if !c.values[i].pat.IsLiteral() {
				set = nil
				break
			}
			set[c.values[i].pat.lit] = struct{}{}
		}
		c.exact = set
	}
	return c, nil
}

// splitPattern splits an ARN pattern on its first five colons.
func splitPattern(s string) ([6]string, bool) { return request.SplitARN(s) }

func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		if p.Addr().Is4In6() {
			p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
		}
		return p.Masked(), true
	}
	a, err := netip.ParseAddr(s)
	if err != nil || a.Zone() != "" {
		return netip.Prefix{}, false
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), true
}

// Values returns the clause's policy values as written.
func (c *Condition) Values() []string {
	out := make([]string, len(c.values))
	for i := range c.values {
		out[i] = c.values[i].raw
	}
	return out
}

// VariableKeys returns the keys of the policy variables in the clause's
// values.
func (c *Condition) VariableKeys() []string { return c.vars }

// Eval reports whether the clause holds for the request. It never allocates.
func (c *Condition) Eval(ctx *request.Context) bool {
	key, present := ctx.Lookup(c.Key)
	if c.Op.Base == Null {
		switch c.Op.Qualifier {
		case ForAllValues:
			return true
		case ForAnyValue:
			return false
		}
		isNull := !present || (key.Multivalued() && len(key.Values) == 0)
		for i := range c.values {
			if c.values[i].b == isNull {
				return true
			}
		}
		return false
	}
	if !present {
		// The set prefix decides before IfExists: ForAnyValue: is false
		// on an absent key whatever the suffix (observed on AWS, SPEC
		// 3.1), ForAllValues: is vacuously true.
		switch {
		case c.Op.Qualifier == ForAnyValue:
			return false
		case c.Op.Qualifier == ForAllValues, c.Op.IfExists:
			return true
		}
		return c.Op.Base.Negated()
	}
	// A set qualifier reads the request values as a set in which empty
	// strings are null, not members: values that resolve to a null data
	// set make ForAllValues: true and ForAnyValue: false (AWS's
	// multi-value page).
	switch c.Op.Qualifier {
	case ForAllValues:
		for i := range key.Values {
			if key.Values[i].String() != "" && !c.single(&key.Values[i], ctx) {
				return false
			}
		}
		return true
	case ForAnyValue:
		for i := range key.Values {
			if key.Values[i].String() != "" && c.single(&key.Values[i], ctx) {
				return true
			}
		}
		return false
	}
	if key.Multivalued() || len(key.Values) != 1 {
		return false
	}
	return c.single(&key.Values[0], ctx)
}

// single applies the base operator to one request value.
func (c *Condition) single(v *request.Value, ctx *request.Context) bool {
	b := c.Op.Base
	if b.Family() == FamilyARN && b.Negated() {
		if _, ok := request.SplitARN(v.String()); !ok {
			return false
		}
	}
	any := false
	if c.exact != nil {
		_, any = c.exact[v.String()]
		if b.Negated() {
			return !any
		}
		return any
	}
	for i := range c.values {
		if c.match(&c.values[i], v, ctx) {
			any = true
			break
		}
	}
	if b.Negated() {
		return !any
	}
	return any
}

// match is the positive test of one policy value against one request value.
func (c *Condition) match(o *operand, v *request.Value, ctx *request.Context) bool {
	switch c.Op.Base {
	case StringEquals, StringNotEquals, StringLike, StringNotLike:
		return o.pat.Match(v.String(), false, ctx)
	case StringEqualsIgnoreCase, StringNotEqualsIgnoreCase:
		return o.pat.Match(v.String(), true, ctx)
	case NumericEquals, NumericNotEquals:
		n, ok := v.Number()
		return ok && n == o.num
	case NumericLessThan:
		n, ok := v.Number()
		return ok && n < o.num
	case NumericLessThanEquals:
		n, ok := v.Number()
		return ok && n <= o.num
	case NumericGreaterThan:
		n, ok := v.Number()
		return ok && n > o.num
	case NumericGreaterThanEquals:
		n, ok := v.Number()
		return ok && n >= o.num
	case DateEquals, DateNotEquals:
		d, ok := v.Date()
		return ok && d.Equal(o.date)
	case DateLessThan:
		d, ok := v.Date()
		return ok && d.Before(o.date)
	case DateLessThanEquals:
		d, ok := v.Date()
		return ok && !d.After(o.date)
	case DateGreaterThan:
		d, ok := v.Date()
		return ok && d.After(o.date)
	case DateGreaterThanEquals:
		d, ok := v.Date()
		return ok && !d.Before(o.date)
	case Bool:
		b, ok := v.Bool()
		return ok && b == o.b
	case BinaryEquals:
		d, ok := v.Binary()
		return ok && string(d) == string(o.bin)
	case IPAddress, NotIPAddress:
		a, ok := v.IP()
		return ok && o.ip.Contains(a)
	case ArnEquals, ArnLike, ArnNotEquals, ArnNotLike:
		// a context value that is not an ARN matches no ARN operator,
		// whatever the policy value (SPEC 3.5, OBSERVED): not even the same
		// text, nor "*"
		parts, ok := request.SplitARN(v.String())
		if !ok {
			return false
		}
		if o.arn == nil {
			return o.pat.Match(v.String(), false, ctx)
		}
		for k := range parts {
			if !o.arn[k].Match(parts[k], false, ctx) {
				return false
			}
		}
		return true
	}
	return false
}
