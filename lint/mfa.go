package lint

import (
	"fmt"
	"strings"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// The MFA rules. Grammar findings use the policy package's error code as
// their id and name, with severity error.
var mfaRules = []Rule{
	{"MFA001", "deny-bool-mfa-false", Error,
		"A Deny on Bool aws:MultiFactorAuthPresent false is skipped for long-term access keys.",
		"Long-term access keys carry no aws:MultiFactorAuthPresent key, so Bool is false and the Deny never applies to them. Use BoolIfExists, which treats a missing key as a match."},
	{"MFA002", "allow-boolifexists-mfa-true", Warning,
		"An Allow on BoolIfExists aws:MultiFactorAuthPresent true also allows long-term access keys.",
		"BoolIfExists is true when the key is missing, and long-term access keys carry no MFA key. Use Bool to require MFA from every caller (the console's \"MFA required\" box emits BoolIfExists on purpose, to spare access keys)."},
	{"MFA003", "mfa-age-absent-key", Error,
		"A condition on aws:MultiFactorAuthAge behaves differently when the key is absent, as it is for every request without MFA.",
		"aws:MultiFactorAuthAge exists only when MFA was used. A Deny on NumericGreaterThan never catches callers without MFA; an Allow on ...IfExists lets them in. Use NumericGreaterThanIfExists in a Deny, and the plain operator in an Allow."},
	{"MFA004", "deny-blocks-mfa-enrolment", Warning,
		"A Deny for callers without MFA also blocks the actions a user needs to enrol an MFA device.",
		"Users without MFA must be able to create and enable a virtual MFA device. Exempt the self-management actions with NotAction, as AWS's example policy does: iam:CreateVirtualMFADevice, iam:EnableMFADevice, iam:GetUser, iam:ListMFADevices, iam:ListVirtualMFADevices, iam:ResyncMFADevice, sts:GetSessionToken."},
	{"MFA005", "forallvalues-single-valued-key", Warning,
		"ForAllValues: on a single-valued key is true when the key is absent.",
		"ForAllValues: is vacuously true for a missing key, so an Allow grants to requests that lack the key entirely. Drop the qualifier for a single-valued key."},
	{"MFA006", "missing-set-qualifier", Error,
		"A condition without ForAnyValue:/ForAllValues: on a multivalued key never matches.",
		"A multivalued key (aws:TagKeys, aws:CalledVia, aws:PrincipalOrgPaths, and every key AWS's catalogue types ArrayOf..., such as dynamodb:LeadingKeys) never matches an operator without a set qualifier, not even a negated one. Add ForAnyValue: or ForAllValues:."},
	{"MFA007", "null-on-mfa-present", Error,
		"Null on aws:MultiFactorAuthPresent tests whether the credentials are temporary, not whether MFA was used.",
		"The key is present (true or false) for every temporary credential and absent for long-term keys. Test MFA with a Deny on BoolIfExists aws:MultiFactorAuthPresent false."},
	{"MFA008", "root-mfa-needs-scp", Warning,
		"Only an SCP can require MFA of the account root user.",
		"Identity-based policies cannot be attached to the root user, and the root user's long-term keys carry no MFA key. Enforce root MFA with an SCP (Deny with BoolIfExists aws:MultiFactorAuthPresent false and aws:PrincipalArn arn:aws:iam::*:root) in the account's organization."},
	{"MFA009", "mfa-key-type-mismatch", Warning,
		"An MFA key is tested with an operator of another type, which reads its value as text or as a date.",
		"aws:MultiFactorAuthPresent is Boolean (use Bool or BoolIfExists): a String operator compares its text (\"true\" or \"false\") and so decides as Bool does, with Bool's pitfalls (MFA001, MFA002). aws:MultiFactorAuthAge is numeric (use a Numeric operator): a String operator compares the seconds as text, so StringEquals \"300\" matches an age of exactly 300 seconds and no other; a Date operator reads them as epoch seconds, a moment in January 1970."},
	{"MFA010", "mfa-key-operator-never-matches", Error,
		"An MFA key is tested with an operator that never matches it: the condition is never true.",
		"aws:MultiFactorAuthAge is numeric: Bool, IpAddress, Binary and ARN operators never match it. aws:MultiFactorAuthPresent is Boolean: Numeric, Date, IpAddress, Binary and ARN operators never match it. A Deny with such a condition never applies — callers without MFA are not stopped — and an Allow never grants."},
}

// keys whose values are single in every request (global condition keys).
var singleValued = map[string]bool{
	"aws:multifactorauthpresent": true, "aws:multifactorauthage": true, "aws:principalorgid": true,
	"aws:sourceip": true, "aws:username": true, "aws:userid": true, "aws:principalarn": true,
	"aws:principalaccount": true, "aws:principaltype": true, "aws:securetransport": true,
	"aws:currenttime": true, "aws:epochtime": true, "aws:tokenissuetime": true, "aws:sourcevpc": true,
	"aws:sourcevpce": true, "aws:requestedregion": true, "aws:viaawsservice": true, "aws:sourceaccount": true,
	"aws:sourcearn": true, "aws:sourceorgid": true, "aws:calledviafirst": true, "aws:calledvialast": true,
	"aws:principalisawsservice": true, "aws:principalservicename": true, "aws:referer": true,
	"aws:useragent": true, "aws:resourceaccount": true, "aws:resourceorgid": true, "aws:federatedprovider": true,
	"aws:sourceidentity": true, "aws:vpcsourceip": true, "aws:ec2instancesourcevpc": true,
}

// isSingleValued reports a key that holds one value in every request: the
// global keys above, the tag keys, and every key AWS's catalogue types as
// one value (String, Numeric, ...; not ArrayOf...).
func isSingleValued(key string) bool {
	k := strings.ToLower(key)
	if singleValued[k] {
		return true
	}
	for _, prefix := range []string{"aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"} {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	if multiValued[k] {
		return false
	}
	ck := catalog.Default().FindKey(key)
	return ck != nil && ck.Type != "" && !ck.Type.IsList()
}

// isMultiValued reports a key that may hold several values: the global keys
// above, and every key AWS's catalogue types ArrayOf....
func isMultiValued(key string) bool {
	if multiValued[strings.ToLower(key)] {
		return true
	}
	ck := catalog.Default().FindKey(key)
	return ck != nil && ck.Type.IsList()
}

var multiValued = map[string]bool{
	"aws:tagkeys": true, "aws:calledvia": true, "aws:principalorgpaths": true,
	"aws:principalservicenameslist": true, "aws:resourceorgpaths": true, "aws:sourceorgpaths": true,
}

func isMFAPresent(k string) bool { return strings.EqualFold(k, request.KeyMultiFactorAuthPresent) }
func isMFAAge(k string) bool     { return strings.EqualFold(k, request.KeyMultiFactorAuthAge) }

func hasValue(c *policy.Clause, v string) bool {
	for _, x := range c.Values {
		if strings.EqualFold(x.Text, v) {
			return true
		}
	}
	return false
}

// mfaFindings applies the MFA rules to every statement of p, a policy of
// the given kind.
// Findings whose claim the engine does not confirm (another statement of the
// policy covers the pitfall) are dropped.
func mfaFindings(p *policy.Policy, kind policy.Kind) []Finding {
	var out []Finding
	conf := newConfirmer(p, kind)
	add := func(id string, c *policy.Clause, s *policy.Statement, msg, fix string) {
		r := rule(id)
		pos, path := s.Start(), s.Path
		if c != nil {
			pos, path = c.OpPos(), c.Path
		}
		if !conf.holds(claimOf(id, c, s), s) {
			return
		}
		out = append(out, Finding{RuleID: r.ID, Name: r.Name, Severity: r.Severity, Pos: pos, Path: path, Message: msg, Fix: fix})
	}
	for _, s := range p.Statements {
		deny := s.Effect == policy.Deny
		rootTargeted := false
		mfaTested := false
		for _, c := range s.Conditions {
			op := c.Op
			base := op.Base
			switch {
			case isMFAPresent(c.Key):
				mfaTested = true
				switch {
				case base == condition.Null:
					what := "it is true for long-term access keys only"
					if hasValue(c, "false") {
						what = "it is true for every temporary credential, with MFA or without"
					}
					add("MFA007", c, s, fmt.Sprintf("Null on %s tests presence, not MFA: %s", c.Key, what),
						`replace it with a Deny on {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}`)
				default:
					// a positive String operator compares the text
					// "true"/"false", so it decides as Bool does and
					// has Bool's pitfalls
					boolish := base == condition.Bool || base.Family() == condition.FamilyString && !base.Negated()
					switch {
					case boolish && deny && !op.IfExists && hasValue(c, "false"):
						add("MFA001", c, s, "Deny on "+c.Operator+" "+c.Key+" false does not apply to long-term access keys, which carry no MFA key",
							`use "BoolIfExists" instead of "`+c.Operator+`"`)
					case boolish && !deny && op.IfExists && hasValue(c, "true"):
						add("MFA002", c, s, "Allow on "+c.Operator+" "+c.Key+" true also allows long-term access keys, which carry no MFA key",
							`use "Bool" instead of "`+c.Operator+`" to require MFA of every caller`)
					}
					switch {
					case base == condition.Bool:
					case base.Family() == condition.FamilyString:
						add("MFA009", c, s, fmt.Sprintf("%s is Boolean but is tested with %s, which compares its text (\"true\" or \"false\"), not a Boolean", c.Key, c.Operator),
							"use Bool or BoolIfExists")
					default:
						add("MFA010", c, s, fmt.Sprintf("%s is Boolean but is tested with %s, which never matches it", c.Key, c.Operator),
							"use Bool or BoolIfExists")
					}
				}
			case isMFAAge(c.Key):
				mfaTested = true
				greater := base == condition.NumericGreaterThan || base == condition.NumericGreaterThanEquals
				less := base == condition.NumericLessThan || base == condition.NumericLessThanEquals
				switch {
				case base.Family() == condition.FamilyString:
					add("MFA009", c, s, fmt.Sprintf("%s is numeric but is tested with %s, which compares the seconds as text: it matches only the text given, not a range of ages", c.Key, c.Operator),
						"use a Numeric operator such as NumericLessThanEquals")
				case base.Family() == condition.FamilyDate:
					add("MFA009", c, s, fmt.Sprintf("%s is numeric but is tested with %s, which reads the seconds as a date (epoch seconds, a moment in January 1970), not as an age", c.Key, c.Operator),
						"use a Numeric operator such as NumericLessThanEquals")
				case base.Family() != condition.FamilyNumeric && base != condition.Null:
					add("MFA010", c, s, fmt.Sprintf("%s is numeric but is tested with %s, which never matches it", c.Key, c.Operator),
						"use a Numeric operator such as NumericLessThanEquals")
				case deny && greater && !op.IfExists:
					fixed := op
					fixed.IfExists = true
					add("MFA003", c, s, fmt.Sprintf("Deny on %s %s never applies to callers without MFA: the key is absent for them", c.Operator, c.Key),
						fmt.Sprintf("use %q so that requests without MFA are denied too", fixed.String()))
				case !deny && less && op.IfExists:
					fixed := op
					fixed.IfExists = false
					add("MFA003", c, s, fmt.Sprintf("Allow on %s %s also allows callers without MFA: the key is absent for them", c.Operator, c.Key),
						fmt.Sprintf("use %q so that only recent MFA is allowed", fixed.String()))
				}
			}
			switch {
			case op.Qualifier == condition.ForAllValues && isSingleValued(c.Key):
				add("MFA005", c, s, fmt.Sprintf("ForAllValues: on the single-valued key %s is true when the key is absent", c.Key),
					fmt.Sprintf("use %q without the qualifier", strings.TrimPrefix(c.Operator, "ForAllValues:")))
			case op.Qualifier == condition.NoQualifier && isMultiValued(c.Key) && base != condition.Null:
				add("MFA006", c, s, fmt.Sprintf("%s on the multivalued key %s never matches without a set qualifier", c.Operator, c.Key),
					fmt.Sprintf("use %q (any value) or %q (every value)", "ForAnyValue:"+c.Operator, "ForAllValues:"+c.Operator))
			}
			if targetsRoot(c) {
				rootTargeted = true
			}
		}
		if rootTargeted && mfaTested && kind != policy.KindSCP {
			add("MFA008", nil, s, fmt.Sprintf("statement %s requires MFA of the root user in %s, which cannot constrain root", sidOrIndex(s), kind.Noun()),
				"move the statement into an SCP attached to the account")
		}
		if deny && forbidsWithoutMFA(s) {
			if blocked := enrolmentBlocked(s); len(blocked) > 0 {
				add("MFA004", nil, s, fmt.Sprintf("statement %s denies callers without MFA and also blocks %s, so users cannot enrol an MFA device", sidOrIndex(s), strings.Join(blocked, " and ")),
					"exempt the enrolment actions with NotAction: iam:CreateVirtualMFADevice, iam:EnableMFADevice, iam:GetUser, iam:ListMFADevices, iam:ListVirtualMFADevices, iam:ResyncMFADevice, sts:GetSessionToken")
			}
		}
	}
	return out
}

func sidOrIndex(s *policy.Statement) string {
	if s.Sid != "" {
		return fmt.Sprintf("%q", s.Sid)
	}
	return fmt.Sprintf("%d", s.Index+1)
}

// targetsRoot reports whether a clause singles out the account root user.
func targetsRoot(c *policy.Clause) bool {
	switch strings.ToLower(c.Key) {
	case "aws:principaltype":
		return hasValue(c, "Account")
	case "aws:principalarn":
		for _, v := range c.Values {
			if strings.HasSuffix(v.Text, ":root") {
				return true
			}
		}
	}
	return false
}

// forbidsWithoutMFA reports whether a Deny statement's conditions make it
// apply to requests without MFA: BoolIfExists/Bool aws:MultiFactorAuthPresent
// false, Null aws:MultiFactorAuthPresent true, or a ...IfExists test on the
// age that holds when it is absent.
func forbidsWithoutMFA(s *policy.Statement) bool {
	for _, c := range s.Conditions {
		switch {
		case isMFAPresent(c.Key) && c.Op.Base == condition.Bool && hasValue(c, "false"):
			return true
		case isMFAPresent(c.Key) && c.Op.Base == condition.Null && hasValue(c, "true"):
			return true
		case isMFAAge(c.Key) && c.Op.IfExists:
			return true
		}
	}
	return false
}

// enrolment is what a user without MFA must be able to do to enrol a virtual
// MFA device, with a resource each action is authorized on.
var enrolment = []struct{ action, resource string }{
	{"iam:CreateVirtualMFADevice", "arn:aws:iam::111122223333:mfa/user"},
	{"iam:EnableMFADevice", "arn:aws:iam::111122223333:user/user"},
}

// enrolmentBlocked returns the enrolment actions that statement s covers.
func enrolmentBlocked(s *policy.Statement) []string {
	var out []string
	for _, en := range enrolment {
		if s.Action.Covers(en.action, true) && (s.Resource == nil || s.Resource.Covers(en.resource, false)) {
			out = append(out, en.action)
		}
	}
	return out
}
