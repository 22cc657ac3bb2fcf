package condition

import (
	"fmt"
	"strings"
)

// Base is a condition operator without its qualifier and IfExists suffix.
type Base uint8

// The base operators of IAM's policy language.
const (
	invalidBase Base = iota
	StringEquals
	StringNotEquals
	StringEqualsIgnoreCase
	StringNotEqualsIgnoreCase
	StringLike
	StringNotLike
	NumericEquals
	NumericNotEquals
	NumericLessThan
	NumericLessThanEquals
	NumericGreaterThan
	NumericGreaterThanEquals
	DateEquals
	DateNotEquals
	DateLessThan
	DateLessThanEquals
	DateGreaterThan
	DateGreaterThanEquals
	Bool
	BinaryEquals
	IPAddress
	NotIPAddress
	ArnEquals
	ArnLike
	ArnNotEquals
	ArnNotLike
	Null
	numBases
)

var baseNames = [numBases]string{
	"", "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
	"StringLike", "StringNotLike", "NumericEquals", "NumericNotEquals", "NumericLessThan",
	"NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals", "DateEquals",
	"DateNotEquals", "DateLessThan", "DateLessThanEquals", "DateGreaterThan", "DateGreaterThanEquals",
	"Bool", "BinaryEquals", "IpAddress", "NotIpAddress", "ArnEquals", "ArnLike", "ArnNotEquals",
	"ArnNotLike", "Null",
}

// String returns the operator as AWS spells it ("NotIpAddress").
func (b Base) String() string {
	if b > invalidBase && b < numBases {
		return baseNames[b]
	}
	return fmt.Sprintf("Base(%d)", uint8(b))
}

// Negated reports whether b is one of the negated operators, for which a
// missing key makes the condition true and a list of values must all fail.
func (b Base) Negated() bool {
	switch b {
	case StringNotEquals, StringNotEqualsIgnoreCase, StringNotLike, NumericNotEquals,
		DateNotEquals, NotIPAddress, ArnNotEquals, ArnNotLike:
		return true
	}
	return false
}

// Family is the kind of value an operator compares.
type Family uint8

// Operator families.
const (
	FamilyString Family = iota
	FamilyNumeric
	FamilyDate
	FamilyBool
	FamilyBinary
	FamilyIP
	FamilyARN
	FamilyNull
)

// Family returns the kind of value b compares.
func (b Base) Family() Family {
	switch {
	case b >= StringEquals && b <= StringNotLike:
		return FamilyString
	case b >= NumericEquals && b <= NumericGreaterThanEquals:
		return FamilyNumeric
	case b >= DateEquals && b <= DateGreaterThanEquals:
		return FamilyDate
	case b == Bool:
		return FamilyBool
	case b == BinaryEquals:
		return FamilyBinary
	case b == IPAddress || b == NotIPAddress:
		return FamilyIP
	case b >= ArnEquals && b <= ArnNotLike:
		return FamilyARN
	}
	return FamilyNull
}

// Qualifier is a set operator prefix.
type Qualifier uint8

// The set qualifiers.
const (
	NoQualifier  Qualifier = iota
	ForAllValues           // "ForAllValues:"
	ForAnyValue            // "ForAnyValue:"
)

// String returns the prefix as written in policies, including the colon, or
// "" for NoQualifier.
func (q Qualifier) String() string {
	switch q {
	case ForAllValues:
		return "ForAllValues:"
	case ForAnyValue:
		return "ForAnyValue:"
	}
	return ""
}

// Operator is a full condition operator name, parsed.
type Operator struct {
	Qualifier Qualifier
	Base      Base
	IfExists  bool
}

// String returns the operator as written in a policy.
func (o Operator) String() string {
	s := o.Qualifier.String() + o.Base.String()
	if o.IfExists {
		s += "IfExists"
	}
	return s
}

// Error codes reported by ParseOperator and Compile. They are stable: tools
// may match on them.
const (
	CodeUnknownOperator = "unknown_operator"
	CodeNullIfExists    = "null_ifexists"
	CodeBadNumber       = "bad_numeric_value"
	CodeBadDate         = "bad_date_value"
	CodeBadIP           = "bad_ip_value"
	CodeBadBool         = "bad_bool_value"
	CodeBadBinary       = "bad_binary_value"
	CodeBadNull         = "bad_null_value"
	CodeVariable        = "variable_not_supported"
)

// Error is an error in a condition clause. Index is the position of the
// offending value in the clause's value list, or -1 when the operator itself
// is at fault.
type Error struct {
	Code  string
	Index int
	Msg   string
}

// Error returns "code: message".
func (e *Error) Error() string { return e.Code + ": " + e.Msg }

// ParseOperator parses an operator name exactly as AWS spells it:
// an optional "ForAllValues:" or "ForAnyValue:" prefix, a base operator, and
// an optional "IfExists" suffix (not allowed on Null). Other spellings, such
// as "stringequals", are unknown operators.
func ParseOperator(name string) (Operator, error) {
	var op Operator
	rest := name
	switch {
	case strings.HasPrefix(rest, "ForAllValues:"):
		op.Qualifier, rest = ForAllValues, rest[len("ForAllValues:"):]
	case strings.HasPrefix(rest, "ForAnyValue:"):
		op.Qualifier, rest = ForAnyValue, rest[len("ForAnyValue:"):]
	}
	if b := lookupBase(rest); b != invalidBase {
		op.Base = b
		return op, nil
	}
	if base, ok := strings.CutSuffix(rest, "IfExists"); ok {
		if b := lookupBase(base); b != invalidBase {
			if b == Null {
				return Operator{}, &Error{Code: CodeNullIfExists, Index: -1, Msg: fmt.Sprintf("operator %q: Null cannot take IfExists", name)}
			}
			op.Base, op.IfExists = b, true
			return op, nil
		}
	}
	return Operator{}, &Error{Code: CodeUnknownOperator, Index: -1, Msg: fmt.Sprintf("unknown condition operator %q", name)}
}

func lookupBase(s string) Base {
	for i := StringEquals; i < numBases; i++ {
		if baseNames[i] == s {
			return i
		}
	}
	return invalidBase
}
