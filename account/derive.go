package account

import (
	"strings"

	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// principalTagPrefix is the prefix of the aws:PrincipalTag/KEY keys, in
// lower case.
const principalTagPrefix = "aws:principaltag/"

// tags returns the tags a request of p carries as aws:PrincipalTag: a
// user's, or a role's for a session of it; listed says whether the dump
// gives them.
func (p *Principal) tags() (tags []Tag, listed bool) {
	switch {
	case p.Kind == KindUser && p.User != nil:
		return p.User.Tags, p.User.TagsListed
	case p.Kind == KindRole && p.Role != nil:
		return p.Role.Tags, p.Role.TagsListed
	}
	return nil, false
}

// DeriveKeys sets the keys of a live request by p that the dump tells and
// its caller's ARN does not, so that request.Context.DerivePrincipalKeys
// (which request.New calls) cannot set them:
//
//   - aws:PrincipalTag/KEY, for each of p's tags: a user's tags ("included
//     in the request context if the principal is using an IAM user with
//     attached tags"), or for a role session its role's tags;
//   - aws:userid: a user's unique id (UserId, "AIDA..."), or for a role
//     session ROLEID:SESSIONNAME, the session name being that of req's
//     caller when it is a session of p's role, else of p.Caller.
//   - aws:PrincipalArn, for a role session: its role's ARN as the dump
//     gives it, with the role's path ("For IAM roles, the request context
//     returns the ARN of the role"), which the session's own ARN
//     (assumed-role/NAME/SESSION), and so DerivePrincipalKeys, leaves out.
//
// It sets no key the dump does not give: without UserId or RoleId there is
// no aws:userid (a result that needs it depends on it). The keys whoever
// assumes a role chooses are not set for its session: no aws:PrincipalTag
// at all when the role's trust policy allows sts:TagSession (session tags
// "become aws:PrincipalTag/*", IAM User Guide, "Passing session tags in
// AWS STS", and replace the role's tags of the same key), and no aws:userid
// for iameval's own session (SessionName), whose name the caller chooses: a
// result that needs them is undecided on them. Keys already set are
// replaced.
//
// Call it after DerivePrincipalKeys and before any key given by hand (a
// --context), so that a key given wins. Analyzer.LiveRequest does all three.
func (p *Principal) DeriveKeys(req *request.Context) {
	tags, _ := p.tags()
	if !p.sessionTaggable() {
		for _, t := range tags {
			_ = req.Set("aws:PrincipalTag/"+t.Key, request.TypeString, t.Value) // a string always reads as a string
		}
	}
	switch {
	case p.Kind == KindUser && p.User != nil && p.User.ID != "":
		_ = req.Set(request.KeyUserID, request.TypeString, p.User.ID)
	case p.Kind == KindRole && p.Role != nil:
		session := request.ParsePrincipal(req.Principal)
		if session.Kind == request.PrincipalAssumedRole && session.Name == p.Role.Name && p.Role.ARN != "" &&
			session.Account == request.ParsePrincipal(p.Role.ARN).Account {
			// req's caller is a session of the role: its role's ARN, with
			// the path a session's ARN leaves out
			_ = req.Set(request.KeyPrincipalARN, request.TypeString, p.Role.ARN)
		}
		if session.Kind != request.PrincipalAssumedRole || session.Name != p.Role.Name {
			session = request.ParsePrincipal(p.Caller)
		}
		// the session name of iameval's own session (SessionName) is
		// whoever assumes the role's to choose: aws:userid is not set
		if session.Kind == request.PrincipalAssumedRole && session.Session != SessionName && p.Role.ID != "" {
			_ = req.Set(request.KeyUserID, request.TypeString, p.Role.ID+":"+session.Session)
		}
	}
}

// Lacks reports whether a live request by p never carries key: a key its
// caller's kind never carries (request.Principal.Lacks: aws:username for a
// role session), or aws:PrincipalTag/KEY for a KEY none of p's tags has
// when the dump lists p's Tags (the AWS CLI prints them, an empty list
// included; a role session is taken to carry no session tags, see
// DeriveKeys). A condition on such a key is decided as on an absent key,
// and a Resource entry whose variable needs it matches nothing (SPEC 4): no
// result depends on it. Without a Tags field p's tags are not known, and
// Lacks is false for every tag.
func (p *Principal) Lacks(key string) bool {
	if request.ParsePrincipal(p.Caller).Lacks(key) {
		return true
	}
	if len(key) <= len(principalTagPrefix) || !strings.EqualFold(key[:len(principalTagPrefix)], principalTagPrefix) {
		return false
	}
	tags, listed := p.tags()
	if !listed || p.sessionTaggable() {
		return false
	}
	name := key[len(principalTagPrefix):]
	for _, t := range tags {
		if strings.EqualFold(t.Key, name) {
			return false
		}
	}
	return true
}

// known returns keys without those p lacks (Lacks), in order; nil for none.
func (p *Principal) known(keys []string) []string {
	var out []string
	for _, k := range keys {
		if !p.Lacks(k) {
			out = append(out, k)
		}
	}
	return out
}

// sessionTaggable reports whether p is a role whose trust policy has an
// Allow statement for sts:TagSession: some caller may pass session tags,
// which become the session's aws:PrincipalTag/* (whatever the role's tags).
// SessionTaggable reports whether p is a role whose trust policy has an
// Allow statement for sts:TagSession: whoever assumes it may pass session
// tags, which become its sessions' aws:PrincipalTag/* (DeriveKeys then
// sets none).
func (p *Principal) SessionTaggable() bool { return p.sessionTaggable() }

func (p *Principal) sessionTaggable() bool {
	if p.Kind != KindRole || p.Role == nil || p.Role.Trust == nil {
		return false
	}
	for _, st := range p.Role.Trust.Statements {
		if st.Effect == policy.Allow && st.Action.Covers("sts:TagSession", true) {
			return true
		}
	}
	return false
}

// DeriveResourceTags sets, for an IAM or STS request on a user or role of
// the dump whose tags the dump lists, the entity's tags as
// aws:ResourceTag/KEY and iam:ResourceTag/KEY, which AWS sends for those
// resources (the Service Authorization Reference gives both keys to IAM's
// user and role types and to STS's role type: sts:AssumeRole on a role
// carries the role's tags). A tag the entity lacks is absent. Other
// requests are left as they are.
func (a *Account) DeriveResourceTags(req *request.Context) {
	tags, listed := a.resourceTags(req.Action, req.Resource)
	if !listed {
		return
	}
	for _, t := range tags {
		_ = req.Set("aws:ResourceTag/"+t.Key, request.TypeString, t.Value) // a string always reads as a string
		_ = req.Set("iam:ResourceTag/"+t.Key, request.TypeString, t.Value)
	}
}

// ResourceTagsListed reports whether a request for action on resource
// carries all the resource's tags (DeriveResourceTags): an IAM or STS
// request on a user or role of the dump whose tags the dump lists. Such a
// request that lacks aws:ResourceTag/KEY or iam:ResourceTag/KEY lacks it
// on AWS too: the entity has no such tag.
func (a *Account) ResourceTagsListed(action, resource string) bool {
	_, listed := a.resourceTags(action, resource)
	return listed
}

// resourceTags returns the tags of the user or role of the dump a request
// for action on resource is on, when it is an IAM or STS request and the
// dump lists the entity's tags (listed).
func (a *Account) resourceTags(action, resource string) (tags []Tag, listed bool) {
	svc, _, _ := strings.Cut(action, ":")
	if !strings.EqualFold(svc, "iam") && !strings.EqualFold(svc, "sts") {
		return nil, false
	}
	switch {
	case strings.Contains(resource, ":role/"):
		r, ok := a.Role(resource)
		if !ok || r.ARN != resource || !r.TagsListed {
			return nil, false
		}
		return r.Tags, true
	case strings.Contains(resource, ":user/"):
		u := a.userARNs[resource]
		if u == nil || !u.TagsListed {
			return nil, false
		}
		return u.Tags, true
	}
	return nil, false
}
