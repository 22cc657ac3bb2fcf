package request

import (
	"fmt"
	"strings"
)

// Type is the type of a context key, one of the twelve ContextKeyType values
// of the IAM policy simulator. A type whose name ends in "List" makes the key
// multivalued. The zero value is TypeString.
type Type uint8

// The twelve context key types, spelled in String as the simulator API spells
// them.
const (
	TypeString Type = iota
	TypeStringList
	TypeNumeric
	TypeNumericList
	TypeBoolean
	TypeBooleanList
	TypeIP
	TypeIPList
	TypeBinary
	TypeBinaryList
	TypeDate
	TypeDateList
	numTypes
)

var typeNames = [numTypes]string{
	"string", "stringList", "numeric", "numericList", "boolean", "booleanList",
	"ip", "ipList", "binary", "binaryList", "date", "dateList",
}

// String returns the simulator's spelling of t, such as "stringList".
func (t Type) String() string {
	if t < numTypes {
		return typeNames[t]
	}
	return fmt.Sprintf("Type(%d)", uint8(t))
}

// List reports whether t is one of the multivalued "...List" types.
func (t Type) List() bool { return t < numTypes && t%2 == 1 }

// Scalar returns the single-valued type of t: TypeString for TypeStringList
// and for TypeString alike.
func (t Type) Scalar() Type { return t &^ 1 }

// ParseType parses a ContextKeyType as the simulator API spells it
// ("string", "numericList", ...), ignoring letter case ("IP", "StringList").
// Any other name is an error that lists the twelve.
func ParseType(s string) (Type, error) {
	for i, n := range typeNames {
		if strings.EqualFold(n, s) {
			return Type(i), nil
		}
	}
	return 0, fmt.Errorf("unknown context key type %q (want one of string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (t Type) MarshalText() ([]byte, error) {
	if t >= numTypes {
		return nil, fmt.Errorf("invalid context key type %d", uint8(t))
	}
	return []byte(typeNames[t]), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Type) UnmarshalText(b []byte) error {
	v, err := ParseType(string(b))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// GlobalKeyType returns the type AWS gives a global condition key whose
// type is fixed (global condition keys page): aws:MultiFactorAuthPresent,
// aws:SecureTransport, aws:ViaAWSService and aws:PrincipalIsAWSService are
// Boolean; aws:MultiFactorAuthAge is numeric; aws:SourceIp and
// aws:VpcSourceIp are IP addresses; aws:CurrentTime and aws:TokenIssueTime
// are dates; aws:TagKeys, aws:CalledVia, aws:PrincipalOrgPaths,
// aws:PrincipalServiceNamesList, aws:ResourceOrgPaths and
// aws:SourceOrgPaths are lists of strings. ok is false for any other key
// (the name is matched ignoring case).
func GlobalKeyType(name string) (t Type, ok bool) {
	switch strings.ToLower(name) {
	case "aws:multifactorauthpresent", "aws:securetransport", "aws:viaawsservice", "aws:principalisawsservice":
		return TypeBoolean, true
	case "aws:multifactorauthage":
		return TypeNumeric, true
	case "aws:sourceip", "aws:vpcsourceip":
		return TypeIP, true
	case "aws:currenttime", "aws:tokenissuetime":
		return TypeDate, true
	case "aws:tagkeys", "aws:calledvia", "aws:principalorgpaths", "aws:principalservicenameslist", "aws:resourceorgpaths", "aws:sourceorgpaths":
		return TypeStringList, true
	}
	return TypeString, false
}

// CheckGlobalKey reports what is wrong with values of type t for the key
// name when AWS fixes the key: its type must be the one GlobalKeyType gives
// (a Boolean aws:MultiFactorAuthPresent given as a string would match no
// Bool condition, and "false " is no Boolean), and aws:MultiFactorAuthAge,
// the seconds since MFA, must be a whole number of 0 or more. It returns nil
// for any other key. The values' syntax is Context.Set's to check.
func CheckGlobalKey(name string, t Type, values []string) error {
	fixed, ok := GlobalKeyType(name)
	if !ok {
		return nil
	}
	if t != fixed {
		return fmt.Errorf("context key %s is %s (AWS fixes its type), not %s", name, fixed, t)
	}
	if strings.EqualFold(name, KeyMultiFactorAuthAge) {
		for _, v := range values {
			n, ok := ParseNumber(v)
			if ok && (n < 0 || n != float64(int64(n))) {
				return fmt.Errorf("context key %s: %q is not a whole number of seconds of 0 or more", name, v)
			}
		}
	}
	return nil
}

// ResourceTagKey reports whether key names a tag of the request's
// resource: aws:ResourceTag/KEY, or a service's own form such as
// iam:ResourceTag/KEY (the Service Authorization Reference gives IAM's
// user and role types both), whatever the letter case.
func ResourceTagKey(key string) bool {
	_, name, ok := strings.Cut(key, ":")
	return ok && len(name) > len("ResourceTag/") && strings.EqualFold(name[:len("ResourceTag/")], "ResourceTag/")
}
