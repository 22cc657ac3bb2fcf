package account

import (
	"strings"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/request"
)

// Escalation is a step by which a principal (or a session of a role it can
// reach) gains permissions beyond its own through IAM actions, as PMapper
// documents them: attaching or putting a policy on itself or on a role it
// can assume, a new default version of a customer managed policy it holds
// (AWS managed policies cannot be changed), joining a group, creating
// access keys or a login profile for another user, rewriting a role's
// trust policy, passing a role to a service it can run (to EC2 in an
// instance profile).
type Escalation struct {
	// By is the node that takes the step: From itself (Roles empty) or a
	// session of the last of Roles, reached from From.
	Roles []*Role
	// Action is the IAM action decided, Target the resource; Also are the
	// actions that complete a PassRole step, each decided too: for EC2,
	// the instance profile's creation when the role is in none
	// (iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile), then the
	// service's (ec2:RunInstances, lambda:CreateFunction).
	Action, Target string
	Also           []string
	// InstanceProfile, for a role passed to EC2, is the ARN of the
	// instance profile that carries it: one of the dump's (the role's
	// InstanceProfileList), or, NewProfile set, one the step creates.
	InstanceProfile string
	NewProfile      bool
	// Gives says what the step gives, for people.
	Gives string
	// Credentials are the states of From's credentials with which the
	// whole way (the roles, then the step) is allowed; Undecided those
	// with which it might be, depending on the context keys Missing (not
	// given).
	Credentials, Undecided Credentials
	Missing                []string
	AllowedBy              []evaluator.MatchedStatement
}

// PathsFrom returns what p can reach: the roles it can assume, directly or
// through chains (with the credentials each way needs), and the privilege
// escalations open to it or to a session of a role it reaches, each step
// decided by the engine as a live request of that principal. A role's
// session carries no MFA (SPEC 6.2): its steps are decided as a session
// without MFA, and are open with the credentials that reach the role.
func (an *Analyzer) PathsFrom(p *Principal) (roles []Access, esc []Escalation, err error) {
	reach, err := an.Reachability()
	if err != nil {
		return nil, nil, err
	}
	byRole := map[*Role]*RoleReach{}
	for _, rr := range reach {
		byRole[rr.Role] = rr
	}
	if p.Kind == KindRole {
		roles = an.fromRole(p, byRole)
	} else {
		ways := an.roleWays(byRole)
		for i, r := range an.acct.Roles {
			for _, st := range ways.order[i] {
				if st.Principal == nil || st.Principal.ARN != p.ARN {
					continue
				}
				b := ways.best[i][st]
				roles = append(roles, Access{Start: st, Roles: ways.roles(r, st), Credentials: b.creds, Undecided: b.undecided, Missing: b.missing})
			}
		}
	}
	// the nodes that take steps: p itself, and each role it reaches
	type node struct {
		principal *Principal
		roles     []*Role
		creds     Credentials // p's credentials that reach it
		undecided Credentials
		missing   []string // the keys the undecided ones depend on
	}
	var nodes []node
	own := LongTermKeys | SessionWithoutMFA | WithMFA
	if p.Kind == KindRole {
		own = SessionWithoutMFA
	}
	nodes = append(nodes, node{principal: p, creds: own})
	for _, a := range roles {
		last := a.Roles[len(a.Roles)-1]
		rp, err := an.acct.Principal("role/" + last.Name)
		if err != nil {
			continue
		}
		nodes = append(nodes, node{principal: rp, roles: a.Roles, creds: a.Credentials, undecided: a.Undecided, missing: a.Missing})
	}
	reached := map[*Role]bool{}
	for _, a := range roles {
		reached[a.Roles[len(a.Roles)-1]] = true
	}
	for _, n := range nodes {
		steps, err := an.escalations(n.principal, p, reached)
		if err != nil {
			return nil, nil, err
		}
		for _, s := range steps {
			// the way: the node's credentials, then the step's states (a
			// role's session only without MFA)
			s.Roles = n.roles
			if len(n.roles) > 0 {
				if s.Credentials&SessionWithoutMFA != 0 {
					s.Credentials, s.Undecided, s.Missing = n.creds, n.undecided, n.missing
				} else {
					s.Credentials, s.Undecided = 0, n.creds|n.undecided
					s.Missing = appendNew(append([]string{}, n.missing...), s.Missing...)
				}
			}
			if s.Credentials|s.Undecided != 0 {
				esc = append(esc, s)
			}
		}
	}
	return roles, esc, nil
}

// fromRole returns the roles a session of role p reaches, breadth first
// (the shortest way to each): a role whose callers include a session of a
// role already reached that crosses (a role session carries no MFA).
func (an *Analyzer) fromRole(p *Principal, byRole map[*Role]*RoleReach) []Access {
	start := &Assumer{Kind: AssumerRole, Name: p.String(), Caller: p.Caller, Principal: p}
	prev := map[*Role]*Role{p.Role: nil}
	undecided := map[*Role]bool{}
	missing := map[*Role][]string{}
	frontier := []*Role{p.Role}
	var order []*Role
	for depth := 1; depth <= maxChain && len(frontier) > 0; depth++ {
		in := map[string]*Role{}
		for _, r := range frontier {
			in[r.ARN] = r
		}
		var next []*Role
		for _, r := range an.acct.Roles {
			if _, seen := prev[r]; seen {
				continue
			}
			rr := byRole[r]
			if rr == nil {
				continue
			}
			xs := rr.roleSessions()
			for i := range xs {
				x := &xs[i]
				if x.Kind != AssumerRole || x.Principal == nil || (x.Crosses|x.Undecided)&SessionWithoutMFA == 0 {
					continue
				}
				from, ok := in[x.Principal.Role.ARN]
				if !ok {
					continue
				}
				prev[r] = from
				undecided[r] = undecided[from] || x.Crosses&SessionWithoutMFA == 0
				missing[r] = missing[from]
				if x.Crosses&SessionWithoutMFA == 0 {
					missing[r] = appendNew(append([]string{}, missing[from]...), x.Missing...)
				}
				next = append(next, r)
				order = append(order, r)
				break
			}
		}
		frontier = next
	}
	var out []Access
	for _, r := range order {
		var chain []*Role
		for cur := r; cur != nil && cur != p.Role; cur = prev[cur] {
			chain = append([]*Role{cur}, chain...)
		}
		a := Access{Start: start, Roles: chain, Credentials: SessionWithoutMFA}
		if undecided[r] {
			a.Credentials, a.Undecided, a.Missing = 0, SessionWithoutMFA, missing[r]
		}
		out = append(out, a)
	}
	return out
}

// escalations returns the escalation steps q's own policies allow, each
// with the credential states q signs with that are allowed it (a role only
// as a session). from is where the way started; reached the roles it
// reaches.
func (an *Analyzer) escalations(q, from *Principal, reached map[*Role]bool) ([]Escalation, error) {
	e, err := an.Engine(q, nil)
	if err != nil {
		return nil, err
	}
	var out []Escalation
	// decide decides a step in each credential state q signs with (a role
	// only as a session), keys set on the request as given
	decide := func(action, target string, keys ...string) Escalation {
		req := an.LiveRequest(q, action, target)
		// a role's tags the dump gives are its aws:ResourceTag/KEY (a
		// key given with --context wins)
		if r, ok := an.acct.Role(target); ok {
			for _, t := range r.Tags {
				if _, set := req.Lookup("aws:ResourceTag/" + t.Key); !set {
					_ = req.Set("aws:ResourceTag/"+t.Key, request.TypeString, t.Value)
				}
			}
		}
		for i := 0; i+1 < len(keys); i += 2 {
			_ = req.Set(keys[i], request.TypeString, keys[i+1])
		}
		s := Escalation{Action: action, Target: target}
		an.decideStates(e, q, req, &s.Credentials, &s.Undecided, &s.Missing, &s.AllowedBy)
		return s
	}
	try := func(action, target, gives string, keys ...string) *Escalation {
		if awsManaged(target) {
			// a step on an AWS managed policy (a new version, a default
			// version, a version deleted): IAM refuses it to every
			// customer. Attaching one targets the user or role.
			return nil
		}
		s := decide(action, target, keys...)
		s.Gives = gives
		if s.Credentials|s.Undecided == 0 {
			return nil
		}
		out = append(out, s)
		return &out[len(out)-1]
	}
	name := q.String()
	switch q.Kind {
	case KindUser:
		for _, a := range []string{"iam:AttachUserPolicy", "iam:PutUserPolicy"} {
			try(a, q.ARN, name+" can grant itself any permission")
		}
		for _, g := range an.acct.Groups {
			member := false
			for _, n := range q.User.Groups {
				member = member || n == g.Name
			}
			// its own groups' policies it holds already; a group with
			// no policies grants nothing
			if !member && len(g.Inline)+len(g.Attached) > 0 {
				try("iam:AddUserToGroup", g.ARN, name+" can join group "+g.Name+" and hold its policies")
			}
		}
	case KindRole:
		for _, a := range []string{"iam:AttachRolePolicy", "iam:PutRolePolicy"} {
			try(a, q.ARN, name+" can grant itself any permission")
		}
	}
	// the managed policies it holds: a new default version (of those the
	// account manages: try skips AWS's)
	for _, arn := range attachedTo(an.acct, q) {
		try("iam:CreatePolicyVersion", arn, name+" can rewrite managed policy "+arn+", which it holds")
	}
	for _, r := range an.acct.Roles {
		if q.Kind == KindRole && q.Role.ARN == r.ARN {
			continue
		}
		if reached[r] {
			for _, a := range []string{"iam:AttachRolePolicy", "iam:PutRolePolicy"} {
				try(a, r.ARN, name+" can grant role "+r.Name+", which the way reaches, any permission")
			}
		}
		try("iam:UpdateAssumeRolePolicy", r.ARN, name+" can rewrite role "+r.Name+"'s trust policy to let itself in")
		// passing a role to a service it can run: the service acts as the role
		for _, svc := range []struct{ principal, run string }{
			{"ec2.amazonaws.com", "ec2:RunInstances"},
			{"lambda.amazonaws.com", "lambda:CreateFunction"},
		} {
			if !trusts(r, svc.principal) {
				continue
			}
			// AWS sets iam:PassedToService on PassRole to the service
			pass := try("iam:PassRole", r.ARN, "", "iam:PassedToService", svc.principal)
			if pass == nil {
				continue
			}
			pass.Gives = name + " can pass role " + r.Name + " to " + svc.principal + " and run it (" + svc.run + ")"
			if svc.principal == "ec2.amazonaws.com" {
				// EC2 takes an instance profile, which carries the role:
				// one of the role's, or one the caller creates for it
				// (named as the role, as the console names them)
				if len(r.InstanceProfiles) > 0 {
					pass.InstanceProfile = r.InstanceProfiles[0]
					pass.Gives = name + " can pass role " + r.Name + " to " + svc.principal + " in its instance profile " +
						pass.InstanceProfile + " and run it (" + svc.run + ")"
				} else {
					pass.InstanceProfile, pass.NewProfile = newInstanceProfile(r, an.acct.ID), true
					if !pass.then(decide("iam:CreateInstanceProfile", pass.InstanceProfile)) ||
						!pass.then(decide("iam:AddRoleToInstanceProfile", pass.InstanceProfile)) {
						out = out[:len(out)-1] // the role is in no instance profile, and it may create none
						continue
					}
					pass.Also = []string{"iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"}
					pass.Gives = name + " can put role " + r.Name + " (in no instance profile) in a new instance profile " +
						pass.InstanceProfile + ", pass it to " + svc.principal + " and run it (" + svc.run + ")"
				}
			}
			if !pass.then(decide(svc.run, "*")) {
				out = out[:len(out)-1] // it cannot run the service
				continue
			}
			pass.Also = append(pass.Also, svc.run)
		}
	}
	for _, u := range an.acct.Principals() {
		if u.Kind != KindUser || u.ARN == q.ARN || u.ARN == from.ARN {
			continue
		}
		for _, a := range []string{"iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"} {
			try(a, u.ARN, name+" can sign in as "+u.String())
		}
	}
	return out, nil
}

// then narrows s to the credential states in which next, a request that
// completes the step, is allowed too (or might be: then s is at best
// undecided, and depends on next's keys as well), and reports whether
// any is left.
func (s *Escalation) then(next Escalation) bool {
	both := (s.Credentials | s.Undecided) & (next.Credentials | next.Undecided)
	creds := s.Credentials & next.Credentials
	s.Credentials, s.Undecided = creds, both&^creds
	if next.Undecided&both != 0 {
		s.Missing = appendNew(s.Missing, next.Missing...)
	}
	return both != 0
}

// attachedTo are the managed policies q holds: attached to it, or to one of
// its groups (a user's), without repeats.
func attachedTo(a *Account, q *Principal) []string {
	var out []string
	add := func(arns []string) {
		for _, arn := range arns {
			out = appendNew(out, arn)
		}
	}
	if q.Kind == KindUser {
		add(q.User.Attached)
		for _, n := range q.User.Groups {
			if g := a.groups[n]; g != nil {
				add(g.Attached)
			}
		}
	} else {
		add(q.Role.Attached)
	}
	return out
}

// newInstanceProfile is the ARN of an instance profile made for role r of
// the account acct: of the role's partition, named as the role.
func newInstanceProfile(r *Role, acct string) string {
	partition := "aws"
	if parts := strings.SplitN(r.ARN, ":", 6); len(parts) == 6 {
		partition = parts[1]
	}
	return "arn:" + partition + ":iam::" + acct + ":instance-profile/" + r.Name
}

// awsManaged reports whether arn is an AWS managed policy's
// (arn:aws:iam::aws:policy/ReadOnlyAccess: the account "aws"), which no
// customer can change: "You cannot change the permissions defined in AWS
// managed policies" (IAM User Guide).
func awsManaged(arn string) bool {
	parts := strings.SplitN(arn, ":", 6)
	return len(parts) == 6 && parts[2] == "iam" && parts[4] == "aws" && strings.HasPrefix(parts[5], "policy/")
}

// trusts reports whether r's trust policy names service as a principal.
func trusts(r *Role, service string) bool {
	if r.Trust == nil {
		return false
	}
	for _, st := range r.Trust.Statements {
		if st.Principal == nil {
			continue
		}
		for _, e := range st.Principal.Entries {
			if e.Type == "Service" && strings.EqualFold(e.Text, service) {
				return true
			}
		}
	}
	return false
}

// lacking keeps the keys q's requests may carry: a key q never has (a
// role session's aws:username) makes the statement never match, which is
// decided, not undecided (SPEC 4).
func lacking(q *Principal, keys []string) []string {
	var out []string
	for _, k := range keys {
		if !q.Lacks(k) {
			out = append(out, k)
		}
	}
	return out
}

// nonMFA drops the MFA keys (the credential state's, never missing).
func nonMFA(keys []string) []string {
	var out []string
	for _, k := range keys {
		if !strings.EqualFold(k, request.KeyMultiFactorAuthPresent) && !strings.EqualFold(k, request.KeyMultiFactorAuthAge) {
			out = append(out, k)
		}
	}
	return out
}
