package iamapi

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// Operation is an IAM API action this package reads and answers, by its
// API name.
type Operation string

// The operations of AWS's policy simulator API.
const (
	SimulateCustomPolicy             Operation = "SimulateCustomPolicy"
	SimulatePrincipalPolicy          Operation = "SimulatePrincipalPolicy"
	GetContextKeysForCustomPolicy    Operation = "GetContextKeysForCustomPolicy"
	GetContextKeysForPrincipalPolicy Operation = "GetContextKeysForPrincipalPolicy"
)

// Request is one request to the policy simulator API, however it was given
// (a JSON document, the Query API's form). Members that were not given are
// empty. Policies are parsed; their SourcePolicyId is the member and
// 1-based index AWS gives them ("PolicyInputList.1", "ResourcePolicy").
type Request struct {
	// Operation is what the request asks for.
	Operation Operation
	// Set holds the policies: PolicyInputList (Identity),
	// PermissionsBoundaryPolicyInputList (Boundary), ResourcePolicy
	// (Resource), ResourceOwner; and iameval's extensions of the JSON
	// document: SessionPolicyInputList, ServiceControlPolicyInputList and
	// ResourceControlPolicyInputList.
	Set evaluator.PolicySet
	// ActionNames are the actions to simulate, as written.
	ActionNames []string
	// ActionAt is where each action is written (JSON documents only).
	ActionAt []policy.Position
	// ResourceArns are the resources; none means "*", as AWS has it.
	ResourceArns []string
	// CallerArn is the caller's ARN, request.Anonymous for an unsigned
	// request (iameval's AnonymousCaller), or "" for none.
	CallerArn string
	// ContextEntries are the context keys the request supplies.
	ContextEntries []ContextEntry
	// ResourceHandlingOption is an EC2 scenario: accepted and checked, not
	// modelled.
	ResourceHandlingOption string
	// PolicySourceArn names the user, group or role whose policies
	// SimulatePrincipalPolicy and GetContextKeysForPrincipalPolicy use;
	// PolicySourceAt is where it is written (JSON documents only).
	PolicySourceArn string
	PolicySourceAt  policy.Position
	// MaxItems is the page size asked for (0: not given, AWS's default of
	// 100 applies); Marker the marker of the page to return.
	MaxItems int
	Marker   string
	// Origin maps a policy id to a function from offsets in the policy's
	// text to offsets in the document the request was read from (JSON
	// documents only), for positions shown to people.
	Origin map[string]func(off int) int
}

// ContextEntry is one ContextEntries item: a context key, its type and its
// values, as the simulator takes them.
type ContextEntry struct {
	ContextKeyName   string
	ContextKeyType   request.Type
	ContextKeyValues []string
}

// Check validates e as AWS's simulator takes an entry: a key with a service
// prefix, and values that read as the type (exactly one for a single-valued
// type); a global key AWS types (aws:MultiFactorAuthPresent is boolean) must
// be given as that type.
func (e ContextEntry) Check() error { return e.SetOn(&request.Context{}) }

// SetOn checks e as Check does and sets it on c, reading each value once.
// On an error c may hold the key with its values (it read as its type, but
// AWS types that global key otherwise): discard c. Each error names the key.
func (e ContextEntry) SetOn(c *request.Context) error {
	if err := request.CheckKeyName(e.ContextKeyName); err != nil {
		return err
	}
	if err := c.Set(e.ContextKeyName, e.ContextKeyType, e.ContextKeyValues...); err != nil {
		return err
	}
	return request.CheckGlobalKey(e.ContextKeyName, e.ContextKeyType, e.ContextKeyValues)
}

// Apply sets every entry on req, later entries over earlier ones. The
// entries must have been checked (Check); an entry that does not read as
// its type is an error.
func Apply(req *request.Context, entries []ContextEntry) error {
	for _, e := range entries {
		if err := req.Set(e.ContextKeyName, e.ContextKeyType, e.ContextKeyValues...); err != nil {
			return fmt.Errorf("context key %s: %w", e.ContextKeyName, err)
		}
	}
	return nil
}

// NewContext builds the request context for action on resource exactly as
// AWS's simulator does: the caller, and the context entries the request
// supplies; nothing is derived from the caller.
func (r *Request) NewContext(action, resource string) *request.Context {
	req := &request.Context{Principal: r.CallerArn, Action: action, Resource: resource}
	_ = Apply(req, r.ContextEntries) // checked when read
	return req
}

// Resources returns the resources to simulate: ResourceArns, or "*" when
// none is given (AWS's default).
func (r *Request) Resources() []string {
	if len(r.ResourceArns) == 0 {
		return []string{"*"}
	}
	return r.ResourceArns
}

// CheckDecidable refuses a request that cannot be decided truthfully: no
// policy at all (when withAccount is false: SimulatePrincipalPolicy brings
// the principal's own), or a resource policy without a caller (AWS's
// simulator requires CallerArn with a ResourcePolicy). The error is an
// *Error with code InvalidInput.
func (r *Request) CheckDecidable(withAccount bool) error {
	s := &r.Set
	if !withAccount && len(s.Identity) == 0 && s.Boundary == nil && len(s.Session) == 0 && s.Resource == nil && len(s.SCPs) == 0 && len(s.RCPs) == 0 {
		return Errorf(CodeInvalidInput, "no policy: PolicyInputList is required (with no policy every request is denied and nothing is checked)")
	}
	if s.Resource != nil && r.CallerArn == "" {
		return Errorf(CodeInvalidInput, "a ResourcePolicy needs a CallerArn (as AWS's simulator requires)")
	}
	return nil
}

// resourceHandlingOptions are the values AWS's simulator takes for
// ResourceHandlingOption: the EC2 scenarios whose resources it requires
// (IAM API Reference, SimulateCustomPolicy).
var resourceHandlingOptions = []string{"EC2-VPC-InstanceStore", "EC2-VPC-InstanceStore-Subnet", "EC2-VPC-EBS", "EC2-VPC-EBS-Subnet", "EC2-Classic-InstanceStore", "EC2-Classic-EBS"}

// CheckResourceHandlingOption checks a ResourceHandlingOption ("" is none).
func CheckResourceHandlingOption(opt string) error {
	if opt == "" || slices.Contains(resourceHandlingOptions, opt) {
		return nil
	}
	return fmt.Errorf("ResourceHandlingOption %q: want one of %s", opt, strings.Join(resourceHandlingOptions, ", "))
}

// CheckARN reports whether s is an ARN (arn:partition:service:region:
// account:resource) or, when star is true, "*".
func CheckARN(s string, star bool) error {
	if star && s == "*" {
		return nil
	}
	parts, ok := request.SplitARN(s)
	if !ok || parts[1] == "" || parts[2] == "" {
		return fmt.Errorf("%q is not an ARN (arn:partition:service:region:account:resource)", s)
	}
	return nil
}

// IsOwner reports whether s is a ResourceOwner AWS takes: a 12-digit
// account ID or arn:aws:iam::ACCOUNT:root.
func IsOwner(s string) bool {
	_, ok := request.ParseAccount(s)
	return ok
}
