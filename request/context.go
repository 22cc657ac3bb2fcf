package request

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Well-known condition keys that the constructors set.
const (
	KeyMultiFactorAuthPresent = "aws:MultiFactorAuthPresent"
	KeyMultiFactorAuthAge     = "aws:MultiFactorAuthAge"
	KeyUsername               = "aws:username"
	KeyUserID                 = "aws:userid"
	KeyPrincipalARN           = "aws:PrincipalArn"
	KeyPrincipalAccount       = "aws:PrincipalAccount"
	KeyPrincipalType          = "aws:PrincipalType"
	KeyPrincipalServiceName   = "aws:PrincipalServiceName"
	KeyPrincipalIsAWSService  = "aws:PrincipalIsAWSService"
	KeyCurrentTime            = "aws:CurrentTime"
	KeyEpochTime              = "aws:EpochTime"
)

// Key is one condition key of a request: its name as given, its type, and its
// values. A single-valued key has exactly one value; a multivalued key (a
// "...List" type) has any number, including none.
type Key struct {
	Name   string
	Type   Type
	Values []Value

	ascii bool // Name is all ASCII
}

// Multivalued reports whether the key's type is a "...List" type.
func (k *Key) Multivalued() bool { return k.Type.List() }

// Context is the request context of one authorization request. The zero value
// is a request without a caller for no action with no keys. A Context built
// as a struct literal carries exactly the keys set on it, as AWS's policy
// simulator does (it derives nothing from the caller); New and the MFA
// constructors model a live request and derive the principal keys AWS sends
// (DerivePrincipalKeys).
type Context struct {
	// Principal is the caller's ARN: an IAM user, a role, an assumed-role
	// session, a federated user, the account root, a service principal
	// (ec2.amazonaws.com), or a web-identity or SAML caller as its
	// identity provider (an oidc-provider or saml-provider ARN, or
	// cognito-identity.amazonaws.com and the like);
	// Anonymous for an unsigned request; empty for no caller (decided on
	// identity-side policies only, as the simulator without CallerArn).
	Principal string
	// Action is the action asked for, "service:Action". Matching is
	// case-insensitive.
	Action string
	// Resource is the ARN of the resource asked for, or "*".
	Resource string
	// ResourceAccount is the account that owns the resource. Empty means the
	// account ID (12 digits) in the resource ARN's account field, or else
	// the evaluator's resource owner, or else the principal's own account.
	ResourceAccount string

	keys []Key
}

// New returns a context for a live request of principal doing action on
// resource, with the principal keys AWS derives from the caller's identity
// (DerivePrincipalKeys). It sets no MFA key: say how the request was signed
// with one of the MFA methods or constructors. For a request as AWS's policy
// simulator sees it — only the keys the request supplies — build the Context
// as a struct literal instead.
func New(principal, action, resource string) *Context {
	c := &Context{Principal: principal, Action: action, Resource: resource}
	c.DerivePrincipalKeys()
	return c
}

// DerivePrincipalKeys sets the principal keys that AWS puts in every live
// request from the caller's identity (global condition keys page):
// aws:PrincipalArn (the role ARN for a role session), aws:PrincipalAccount,
// aws:PrincipalType, aws:username for IAM users, and aws:userid for the
// account root (whose user id is its account id); for a service principal,
// aws:PrincipalServiceName (its name) and aws:PrincipalIsAWSService (true).
// Keys AWS would send but that the ARN does not tell (aws:userid of users
// and roles, aws:PrincipalTag/..., aws:PrincipalOrgID, a service's
// aws:PrincipalServiceNamesList, which lists every name of the service) are
// not set. It sets nothing for a request without a caller, nor for a
// web-identity or SAML caller, whose sts:AssumeRoleWith* call is not signed
// with AWS credentials: its keys are its identity provider's claims
// (token.actions.githubusercontent.com:sub, SAML:aud, ...), which only the
// request can give. Keys already set are replaced.
func (c *Context) DerivePrincipalKeys() {
	principal := c.Principal
	p := ParsePrincipal(principal)
	switch p.Kind {
	case PrincipalUser, PrincipalRole, PrincipalFederatedUser, PrincipalRoot:
		c.set(KeyPrincipalARN, TypeString, principal)
	case PrincipalAssumedRole:
		c.set(KeyPrincipalARN, TypeString, "arn:"+p.Partition+":iam::"+p.Account+":role/"+p.Name)
	}
	if p.Account != "" {
		c.set(KeyPrincipalAccount, TypeString, p.Account)
	}
	switch p.Kind {
	case PrincipalUser:
		c.set(KeyPrincipalType, TypeString, "User")
		c.set(KeyUsername, TypeString, p.Name)
	case PrincipalAssumedRole:
		c.set(KeyPrincipalType, TypeString, "AssumedRole")
	case PrincipalFederatedUser:
		c.set(KeyPrincipalType, TypeString, "FederatedUser")
	case PrincipalRoot:
		c.set(KeyPrincipalType, TypeString, "Account")
		c.set(KeyUserID, TypeString, p.Account)
	case PrincipalAnonymous:
		c.set(KeyPrincipalType, TypeString, "Anonymous")
	case PrincipalService:
		c.set(KeyPrincipalServiceName, TypeString, p.Name)
		c.set(KeyPrincipalIsAWSService, TypeBoolean, "true")
	}
}

// LongTermKeys returns New(principal, action, resource) signed with long-term
// access keys: neither MFA key is present.
func LongTermKeys(principal, action, resource string) *Context {
	return New(principal, action, resource)
}

// SessionWithoutMFA returns New(principal, action, resource) signed with
// temporary credentials obtained without MFA (a console sign-in without MFA,
// GetSessionToken without a token code, a role session, a federated session,
// a service acting for the caller): aws:MultiFactorAuthPresent is false and
// aws:MultiFactorAuthAge is absent.
func SessionWithoutMFA(principal, action, resource string) *Context {
	c := New(principal, action, resource)
	c.SetSessionWithoutMFA()
	return c
}

// SessionWithMFA returns New(principal, action, resource) signed with
// temporary credentials validated with MFA age ago: aws:MultiFactorAuthPresent
// is true and aws:MultiFactorAuthAge is age in whole seconds.
func SessionWithMFA(principal, action, resource string, age time.Duration) *Context {
	c := New(principal, action, resource)
	c.SetSessionWithMFA(age)
	return c
}

// Root returns a request by the root user of account, with the MFA state
// given by mfa: nil for the root's long-term access keys (no MFA key), or a
// pointer to the MFA age for a console session with MFA. (Root console
// sessions without MFA are SessionWithoutMFA's case: call
// SetSessionWithoutMFA on the result.)
func Root(account, action, resource string, mfa *time.Duration) *Context {
	c := New("arn:aws:iam::"+account+":root", action, resource)
	if mfa != nil {
		c.SetSessionWithMFA(*mfa)
	}
	return c
}

// SetLongTermKeys removes both MFA keys: the request is signed with
// long-term access keys.
func (c *Context) SetLongTermKeys() {
	c.Delete(KeyMultiFactorAuthPresent)
	c.Delete(KeyMultiFactorAuthAge)
}

// SetSessionWithoutMFA sets aws:MultiFactorAuthPresent to false and removes
// aws:MultiFactorAuthAge.
func (c *Context) SetSessionWithoutMFA() {
	c.setValues(KeyMultiFactorAuthPresent, TypeBoolean, falseValues)
	c.Delete(KeyMultiFactorAuthAge)
}

// SetSessionWithMFA sets aws:MultiFactorAuthPresent to true and
// aws:MultiFactorAuthAge to age in whole seconds (negative ages count as 0).
func (c *Context) SetSessionWithMFA(age time.Duration) {
	secs := int64(age / time.Second)
	if secs < 0 {
		secs = 0
	}
	c.setValues(KeyMultiFactorAuthPresent, TypeBoolean, trueValues)
	c.setValues(KeyMultiFactorAuthAge, TypeNumeric, ageValues(secs))
}

// The values the MFA methods set, read once: an MFA analysis sets them on
// every request it decides. They are never modified (set replaces a key's
// values, never changes them).
var (
	trueValues  = []Value{NewValue("true")}
	falseValues = []Value{NewValue("false")}
	ages        sync.Map // int64 seconds -> []Value
)

// ageValues returns the value of an MFA age of secs seconds, read once per
// age.
func ageValues(secs int64) []Value {
	if v, ok := ages.Load(secs); ok {
		return v.([]Value)
	}
	v, _ := ages.LoadOrStore(secs, []Value{NewValue(strconv.FormatInt(secs, 10))})
	return v.([]Value)
}

// SetTime sets aws:CurrentTime and aws:EpochTime to t.
func (c *Context) SetTime(t time.Time) {
	c.set(KeyCurrentTime, TypeDate, t.UTC().Format(time.RFC3339))
	c.set(KeyEpochTime, TypeNumeric, strconv.FormatInt(t.Unix(), 10))
}

// Set gives the key name the values, replacing any key of that name in any
// letter case. A single-valued type takes exactly one value. Values must read
// as their type: numbers as decimals, dates as ISO 8601 or epoch seconds,
// booleans as true or false, IPs as addresses, binaries as base64.
func (c *Context) Set(name string, t Type, values ...string) error {
	if name == "" {
		return fmt.Errorf("context key: empty name")
	}
	if t >= numTypes {
		return fmt.Errorf("context key %s: invalid type %d", name, uint8(t))
	}
	if !t.List() && len(values) != 1 {
		return fmt.Errorf("context key %s: type %s takes exactly one value, got %d", name, t, len(values))
	}
	for _, v := range values {
		if err := checkType(t.Scalar(), v); err != nil {
			return fmt.Errorf("context key %s: %v", name, err)
		}
	}
	c.set(name, t, values...)
	return nil
}

func checkType(t Type, v string) error {
	ok := true
	switch t {
	case TypeNumeric:
		_, ok = ParseNumber(v)
	case TypeBoolean:
		_, ok = ParseBool(v)
	case TypeDate:
		_, ok = ParseDate(v)
	case TypeIP:
		ok = NewValue(v).flags&hasIP != 0
	case TypeBinary:
		ok = NewValue(v).flags&hasBin != 0
	}
	if !ok {
		return fmt.Errorf("value %q is not a valid %s", v, t)
	}
	return nil
}

func (c *Context) set(name string, t Type, values ...string) {
	vs := make([]Value, len(values))
	for i, v := range values {
		vs[i] = NewValue(v)
	}
	c.setValues(name, t, vs)
}

// setValues gives the key name the values vs, which it keeps.
func (c *Context) setValues(name string, t Type, vs []Value) {
	k := Key{Name: name, Type: t, Values: vs, ascii: isASCII(name)}
	for i := range c.keys {
		if strings.EqualFold(c.keys[i].Name, name) {
			c.keys[i] = k
			return
		}
	}
	c.keys = append(c.keys, k)
}

// Delete removes the key name (any letter case), if present.
func (c *Context) Delete(name string) {
	for i := range c.keys {
		if strings.EqualFold(c.keys[i].Name, name) {
			c.keys = append(c.keys[:i], c.keys[i+1:]...)
			return
		}
	}
}

// Lookup returns the key name, matched case-insensitively, or false when the
// request does not carry it. The returned key must not be modified.
func (c *Context) Lookup(name string) (*Key, bool) {
	ascii := isASCII(name)
	for i := range c.keys {
		k := &c.keys[i]
		if ascii && k.ascii {
			// Both ASCII: equal lengths, then byte-wise folding.
			if len(k.Name) == len(name) && asciiEqualFold(k.Name, name) {
				return k, true
			}
			continue
		}
		if strings.EqualFold(k.Name, name) {
			return k, true
		}
	}
	return nil, false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiEqualFold compares two ASCII strings of equal length, ignoring the
// case of letters.
func asciiEqualFold(a, b string) bool {
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x == y {
			continue
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// Keys returns the request's keys in the order they were first set.
func (c *Context) Keys() []Key { return append([]Key(nil), c.keys...) }

// Clone returns a copy of c that can be changed without changing c.
func (c *Context) Clone() *Context {
	d := *c
	// room for the two MFA keys, which an analysis sets on its clones
	d.keys = make([]Key, len(c.keys), len(c.keys)+2)
	copy(d.keys, c.keys)
	return &d
}
