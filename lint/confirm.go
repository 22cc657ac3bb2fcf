package lint

import (
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// claim is what an MFA finding says happens to requests without MFA: a
// statement of the policy lets them through, or fails to stop them. The
// engine confirms it by deciding the statement's own requests under each
// kind of credential, the way the mfa analysis does; a claim that another
// statement of the same policy makes false is no finding.
type claim uint8

const (
	claimNone              claim = iota // a finding about the text, not about decisions
	claimDenySkipsLongTerm              // a Deny that long-term keys slip past
	claimDenySkipsNoMFA                 // a Deny that long-term keys or a session without MFA slip past
	claimDenySkipsSession               // a Deny that a session without MFA slips past
	claimAllowsLongTerm                 // an Allow that long-term keys slip through
	claimAllowsNoMFA                    // an Allow that long-term keys or a session without MFA slip through
	claimAllowsSession                  // an Allow that a session without MFA slips through
	claimBlocksEnrolment                // a Deny that stops a user without MFA from enrolling a device
)

// claimOf is the claim finding id makes about statement s (whose clause c
// it is about).
func claimOf(id string, c *policy.Clause, s *policy.Statement) claim {
	deny := s.Effect == policy.Deny
	switch id {
	case "MFA001":
		return claimDenySkipsLongTerm
	case "MFA002":
		return claimAllowsLongTerm
	case "MFA003":
		if deny {
			return claimDenySkipsNoMFA
		}
		return claimAllowsNoMFA
	case "MFA004":
		return claimBlocksEnrolment
	case "MFA007":
		if c == nil {
			return claimNone
		}
		switch {
		case deny && hasValue(c, "true") && !hasValue(c, "false"):
			return claimDenySkipsSession
		case !deny && hasValue(c, "false") && !hasValue(c, "true"):
			return claimAllowsSession
		case !deny && hasValue(c, "true") && !hasValue(c, "false"):
			return claimAllowsLongTerm
		}
	}
	return claimNone
}

// The sample callers the confirmer decides for: they are probes of the
// policy's own statements, never shown as anyone's input.
const (
	sampleAccount      = "111122223333"
	sampleOtherAccount = "444455556666"
	sampleName         = "iameval-sample"
)

// confirmer decides a policy's statements under the credential scenarios.
type confirmer struct {
	p    *policy.Policy
	kind policy.Kind
	// ok is false when the policy cannot be compiled for its kind (its
	// grammar findings say why): every claim then stands.
	ok      bool
	engines map[string]*evaluator.Engine // by caller
}

func newConfirmer(p *policy.Policy, kind policy.Kind) *confirmer {
	return &confirmer{p: p, kind: kind, ok: true, engines: map[string]*evaluator.Engine{}}
}

// holds reports whether the claim about statement s is true of some request
// the statement covers. A claim that cannot be decided stands.
func (cf *confirmer) holds(cl claim, s *policy.Statement) bool {
	if cl == claimNone || !cf.ok {
		return true
	}
	caller, ok := cf.caller(s)
	if !ok {
		return true
	}
	e, err := cf.engine(caller)
	if err != nil {
		cf.ok = false
		return true
	}
	for _, r := range cf.requests(cl, s, caller) {
		res := mfa.Analyze(e, r)
		lt, tmp := res.LongTermKeys.Verdict, res.SessionWithoutMFA.Verdict
		var yes bool
		switch cl {
		case claimDenySkipsLongTerm:
			yes = lt != evaluator.ExplicitDeny
		case claimDenySkipsNoMFA:
			yes = lt != evaluator.ExplicitDeny || tmp != evaluator.ExplicitDeny
		case claimDenySkipsSession:
			yes = tmp != evaluator.ExplicitDeny
		case claimAllowsLongTerm:
			yes = lt == evaluator.Allowed
		case claimAllowsNoMFA:
			yes = lt == evaluator.Allowed || tmp == evaluator.Allowed
		case claimAllowsSession:
			yes = tmp == evaluator.Allowed
		case claimBlocksEnrolment:
			// users enrol from a console session without MFA
			yes = tmp == evaluator.ExplicitDeny
		}
		if yes {
			return true
		}
	}
	return false
}

// engine compiles the policy in its place, with what the decision needs
// around it: an identity Allow of everything beside a resource-side or
// organization policy (so that only this policy decides whether an Allow of
// its grants), and a resource owner in another account than the caller (so
// that a resource policy's Allow is what grants).
func (cf *confirmer) engine(caller string) (*evaluator.Engine, error) {
	if e, ok := cf.engines[caller]; ok {
		return e, nil
	}
	all, err := policy.Parse("allow-all", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`))
	if err != nil {
		return nil, err
	}
	var set evaluator.PolicySet
	switch cf.kind {
	case policy.KindResource, policy.KindTrust:
		set.Identity = []*policy.Policy{all}
		set.Resource = cf.p
		set.ResourceOwner = sampleOtherAccount
		if request.ParsePrincipal(caller).Account == sampleOtherAccount {
			set.ResourceOwner = sampleAccount
		}
	case policy.KindSCP:
		set.Identity = []*policy.Policy{all}
		set.SCPs = [][]*policy.Policy{{cf.p}}
	case policy.KindRCP:
		set.Identity = []*policy.Policy{all}
		set.RCPs = [][]*policy.Policy{{cf.p}}
	default:
		set.Identity = []*policy.Policy{cf.p}
	}
	e, err := evaluator.Compile(set)
	if err != nil {
		return nil, err
	}
	cf.engines[caller] = e
	return e, nil
}

// caller picks a caller the statement's Principal names: the principal
// itself for a user or session ARN, a session of a named role, a user of a
// named account, a sample user for everyone. Federated principals cannot be
// sampled (ok is false).
func (cf *confirmer) caller(s *policy.Statement) (string, bool) {
	user := func(acct string) string { return "arn:aws:iam::" + acct + ":user/" + sampleName }
	if s.Principal == nil || s.Principal.Not || s.Principal.Any {
		return user(sampleAccount), true
	}
	for _, e := range s.Principal.Entries {
		switch e.Type {
		case "AWS":
			if e.Text == "*" {
				return user(sampleAccount), true
			}
			if acct, ok := request.ParseAccount(e.Text); ok {
				return user(acct), true
			}
			switch p := request.ParsePrincipal(e.Text); p.Kind {
			case request.PrincipalUser, request.PrincipalAssumedRole, request.PrincipalFederatedUser:
				return e.Text, true
			case request.PrincipalRole:
				return "arn:" + p.Partition + ":sts::" + p.Account + ":assumed-role/" + p.Name + "/" + sampleName, true
			}
		case "Service":
			return e.Text, true
		}
	}
	return "", false
}

// requests are the statement's own requests: each action it names (a
// pattern stands for itself; NotAction, a sample action outside it) on each
// resource it names (rendered as the mfa analysis renders them; "*" for
// NotResource or no Resource). For the enrolment claim, the enrolment
// requests of the caller.
func (cf *confirmer) requests(cl claim, s *policy.Statement, caller string) []*request.Context {
	var out []*request.Context
	if cl == claimBlocksEnrolment {
		p := request.ParsePrincipal(caller)
		for _, en := range []struct{ action, resource string }{
			{"iam:CreateVirtualMFADevice", "arn:aws:iam::" + p.Account + ":mfa/" + p.Name},
			{"iam:EnableMFADevice", "arn:aws:iam::" + p.Account + ":user/" + p.Name},
		} {
			out = append(out, request.New(caller, en.action, en.resource))
		}
		return out
	}
	var actions []string
	switch {
	case s.Action == nil:
	case !s.Action.Not:
		for _, v := range s.Action.Values {
			actions = append(actions, v.Text)
		}
	default:
		for _, a := range []string{"iameval-sample:Action", "ec2:RunInstances", "s3:GetObject", "iam:CreateAccessKey"} {
			if !s.Action.Match(a, true) {
				actions = append(actions, a)
				break
			}
		}
	}
	for _, a := range actions {
		base := request.New(caller, a, "*")
		resources := []string{"*"}
		if s.Resource != nil && !s.Resource.Not {
			resources = nil
			for _, v := range s.Resource.Values {
				r, missing := mfa.RenderResource(v.Text, cf.p.VariablesEnabled(), base)
				if len(missing) == 0 {
					resources = append(resources, r)
				}
			}
		}
		for _, r := range resources {
			out = append(out, request.New(caller, a, r))
		}
	}
	return out
}
