package account

import (
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/internal/jsonlist"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// jsonKind is the JSON type a field of an entity must have.
type jsonKind uint8

const (
	jString jsonKind = iota
	jList
	jObject
	jBool
	jNumber
	// jDocument is a policy document: a URL-encoded JSON string, as the
	// API returns it, or a JSON object, as the AWS CLI prints it.
	jDocument
)

var jsonKindNames = [...]string{"a string", "a list", "an object", "true or false", "a number", "a policy document (a string or an object)"}

// field is one field an object of the dump may hold: its name, its JSON
// type, and where its value goes.
type field struct {
	name string
	kind jsonKind
	v    *gjson.Result
}

// problem is an error found before the entity it belongs to is named.
type problem struct {
	off int
	msg string
}

// members reads o's members into the fields' values. A member no field
// names is a problem: the AWS CLI never prints it, and a misspelt field
// would drop what it holds (a policy list, a boundary) without a word. So
// is a member of the wrong JSON type. A null member is left unset, as if
// absent. what names the object in problems ("a UserDetail"); prefix is
// put before field names ("Tags[0]."). A non-object o is one problem.
func members(o gjson.Result, what, prefix string, fields []field) []problem {
	if !o.IsObject() {
		return []problem{{o.Index, fmt.Sprintf("%s must be an object, got %s", strings.TrimSuffix(prefix, "."), o.Type)}}
	}
	var probs []problem
	// the fields met, by index: a field twice is a problem too (the AWS
	// CLI prints each once; reading either value would be a guess, and a
	// policy document's own keys twice are refused as duplicate_key)
	var met uint64
	o.ForEach(func(k, v gjson.Result) bool {
		var f *field
		twice := false
		for i := range fields {
			if fields[i].name == k.Str {
				f = &fields[i]
				if i < 64 {
					twice = met&(1<<i) != 0
					met |= 1 << i
				}
				break
			}
		}
		switch {
		case twice:
			at := ""
			if prefix != "" {
				at = strings.TrimSuffix(prefix, ".") + ": "
			}
			probs = append(probs, problem{k.Index, fmt.Sprintf("%sfield %q twice in %s: which value to read would be a guess (the AWS CLI prints each field once)", at, k.Str, what)})
		case f == nil:
			names := make([]string, len(fields))
			for i := range fields {
				names[i] = fields[i].name
			}
			at := ""
			if prefix != "" {
				at = strings.TrimSuffix(prefix, ".") + ": "
			}
			probs = append(probs, problem{k.Index, fmt.Sprintf("%sunknown field %q in %s (the AWS CLI prints %s)", at, k.Str, what, strings.Join(names, ", "))})
		case v.Type == gjson.Null:
		case !f.kind.is(v):
			probs = append(probs, problem{v.Index, fmt.Sprintf("%s must be %s, got %s", prefix+k.Str, jsonKindNames[f.kind], v.Raw)})
		default:
			*f.v = v
		}
		return true
	})
	return probs
}

func (k jsonKind) is(v gjson.Result) bool {
	switch k {
	case jString:
		return v.Type == gjson.String
	case jList:
		return v.IsArray()
	case jObject:
		return v.IsObject()
	case jBool:
		return v.Type == gjson.True || v.Type == gjson.False
	case jNumber:
		return v.Type == gjson.Number
	}
	return v.Type == gjson.String || v.IsObject()
}

// report turns problems into errors of entity.
func (l *loader) report(entity string, probs []problem) {
	for _, p := range probs {
		l.errorf(p.off, entity, "%s", p.msg)
	}
}

// required reads a required string member: one that is missing or empty
// is an error.
func (l *loader) required(v gjson.Result, off int, entity, field string) string {
	if v.Str == "" {
		l.errorf(off, entity, "missing or empty %s", field)
		return ""
	}
	return keep(v.Str)
}

// named checks that arn, an IAM ARN, names the entity: its type (user,
// group, role, policy), its Path when the dump gives it, and its name. An
// ARN that names another entity makes the dump say two things at once:
// requests are made as the ARN while groups, attachments and lookups go by
// the name.
func (l *loader) named(arn, typ, path, name string, off int, entity string) {
	if arn == "" || name == "" {
		return
	}
	parts, ok := request.SplitARN(arn)
	if !ok || parts[2] != "iam" {
		l.errorf(off, entity, "Arn %q is not an IAM ARN", arn)
		return
	}
	res := parts[5]
	if path != "" {
		if res != typ+path+name {
			l.errorf(off, entity, "Arn %q does not name %s %q at Path %q (want arn:%s:iam::%s:%s%s%s)", arn, typ, name, path, parts[1], parts[4], typ, path, name)
		}
		return
	}
	if !strings.HasPrefix(res, typ+"/") || !strings.HasSuffix(res, "/"+name) {
		l.errorf(off, entity, "Arn %q does not name %s %q (want arn:%s:iam::%s:%s/PATH/%s, or %s/%s)", arn, typ, name, parts[1], parts[4], typ, name, typ, name)
	}
}

// inline reads a list of inline policies (UserPolicyList, ...): each a
// PolicyName and a PolicyDocument.
func (l *loader) inline(list gjson.Result, entity, listName, owner string) []*policy.Policy {
	var out []*policy.Policy
	for i, ip := range jsonlist.Elements(list) {
		f := fmt.Sprintf("%s[%d]", listName, i)
		var pname, pdoc gjson.Result
		if probs := members(ip, "an inline policy", f+".", []field{{"PolicyName", jString, &pname}, {"PolicyDocument", jDocument, &pdoc}}); probs != nil {
			l.report(entity, probs)
			continue
		}
		if pname.Str == "" {
			l.errorf(ip.Index, entity, "%s.PolicyName is missing", f)
			continue
		}
		name := owner + " inline " + pname.Str
		if l.parallel && pdoc.IsObject() {
			// parsed with the others on all cores (parsePending)
			p := &policy.Policy{}
			l.pending = append(l.pending, pendingDocument{slot: p, off: pdoc.Index, n: len(pdoc.Raw), name: name})
			out = append(out, p)
			continue
		}
		if p := l.document(pdoc, ip.Index, entity, f+".PolicyDocument", name); p != nil {
			out = append(out, p)
		}
	}
	return out
}

// attachment is an AttachedManagedPolicies member, kept until every
// managed policy is read to check that it names the policy as the policy
// names itself.
type attachment struct {
	entity, arn, name string
	// at is the member's place in AttachedManagedPolicies
	at int
}

// attached reads AttachedManagedPolicies: each a PolicyName and a
// PolicyArn. It returns the ARNs.
func (l *loader) attached(list gjson.Result, entity string) []string {
	var out []string
	for i, ap := range jsonlist.Elements(list) {
		var pname, parn gjson.Result
		if probs := members(ap, "an attached policy", attachedField(i)+".", []field{{"PolicyName", jString, &pname}, {"PolicyArn", jString, &parn}}); probs != nil {
			l.report(entity, probs)
			continue
		}
		if parn.Str == "" {
			l.errorf(ap.Index, entity, "%s.PolicyArn is missing", attachedField(i))
			continue
		}
		arn := keepShared(parn.Str)
		out = append(out, arn)
		if pname.Str != "" {
			l.attachments = append(l.attachments, attachment{entity, arn, pname.Str, i})
		}
	}
	return out
}

// attachedField names member i of AttachedManagedPolicies, as errors say.
func attachedField(i int) string { return fmt.Sprintf("AttachedManagedPolicies[%d]", i) }

// boundary reads a PermissionsBoundary: its PermissionsBoundaryArn, with
// PermissionsBoundaryType "Policy", the only type there is.
func (l *loader) boundary(v gjson.Result, entity string) string {
	if !v.Exists() {
		return ""
	}
	var typ, arn gjson.Result
	if probs := members(v, "a PermissionsBoundary", "PermissionsBoundary.", []field{{"PermissionsBoundaryType", jString, &typ}, {"PermissionsBoundaryArn", jString, &arn}}); probs != nil {
		l.report(entity, probs)
		return ""
	}
	if typ.Exists() && typ.Str != "Policy" {
		l.errorf(typ.Index, entity, "PermissionsBoundary.PermissionsBoundaryType is %q: the only boundary type is Policy", typ.Str)
	}
	if arn.Str == "" {
		l.errorf(v.Index, entity, "PermissionsBoundary.PermissionsBoundaryArn is missing: a boundary names its managed policy")
		return ""
	}
	return keepShared(arn.Str)
}

// Tag is a tag of a user or role: in a request of that principal,
// aws:PrincipalTag/KEY is VALUE.
type Tag struct {
	Key, Value string
}

// tags reads Tags: each a Key and a Value. A key must be unique, whatever
// its letter case: condition keys are matched without case, so two keys
// that differ only in case would give aws:PrincipalTag/KEY two values.
func (l *loader) tags(list gjson.Result, entity string) []Tag {
	var out []Tag
	for i, t := range jsonlist.Elements(list) {
		f := fmt.Sprintf("Tags[%d]", i)
		var key, value gjson.Result
		if probs := members(t, "a tag", f+".", []field{{"Key", jString, &key}, {"Value", jString, &value}}); probs != nil {
			l.report(entity, probs)
			continue
		}
		if key.Str == "" || value.Type != gjson.String {
			l.errorf(t.Index, entity, "%s needs a Key and a Value", f)
			continue
		}
		dup := false
		for _, prev := range out {
			dup = dup || strings.EqualFold(prev.Key, key.Str)
		}
		if dup {
			l.errorf(t.Index, entity, "%s: tag key %q appears twice (tag keys of a principal are unique, whatever their case)", f, key.Str)
			continue
		}
		out = append(out, Tag{Key: keepShared(key.Str), Value: keepShared(value.Str)})
	}
	return out
}

// instanceProfiles reads a role's InstanceProfileList: the ARNs of its
// instance profiles (AWS's InstanceProfile: Path, InstanceProfileName,
// InstanceProfileId, Arn, CreateDate, Roles, Tags).
func (l *loader) instanceProfiles(list gjson.Result, entity string) []string {
	var out []string
	for i, p := range jsonlist.Elements(list) {
		f := fmt.Sprintf("InstanceProfileList[%d]", i)
		var path, name, id, arn, created, roles, tags gjson.Result
		if probs := members(p, "an InstanceProfile", f+".", []field{
			{"Path", jString, &path}, {"InstanceProfileName", jString, &name}, {"InstanceProfileId", jString, &id},
			{"Arn", jString, &arn}, {"CreateDate", jString, &created}, {"Roles", jList, &roles}, {"Tags", jList, &tags},
		}); probs != nil {
			l.report(entity, probs)
			continue
		}
		if arn.Str == "" {
			l.errorf(p.Index, entity, "%s: missing or empty Arn", f)
			continue
		}
		out = append(out, keep(arn.Str))
	}
	return out
}

// names reads a list of names (GroupList).
func (l *loader) names(list gjson.Result, entity, listName string) []string {
	var out []string
	for i, v := range jsonlist.Elements(list) {
		if v.Type != gjson.String || v.Str == "" {
			l.errorf(v.Index, entity, "%s[%d] must be a name, got %s", listName, i, v.Raw)
			continue
		}
		out = append(out, keepShared(v.Str))
	}
	return out
}

func (l *loader) user(o gjson.Result, off, i int) {
	var path, name, id, arn, created, inline, groups, attached, boundary, tags gjson.Result
	probs := members(o, "a UserDetail", "", []field{
		{"Path", jString, &path}, {"UserName", jString, &name}, {"UserId", jString, &id}, {"Arn", jString, &arn},
		{"CreateDate", jString, &created}, {"UserPolicyList", jList, &inline}, {"GroupList", jList, &groups},
		{"AttachedManagedPolicies", jList, &attached}, {"PermissionsBoundary", jObject, &boundary}, {"Tags", jList, &tags},
	})
	entity := fmt.Sprintf("UserDetailList[%d]", i)
	if name.Str != "" {
		entity = fmt.Sprintf("user %q", name.Str)
	}
	l.report(entity, probs)
	if !o.IsObject() {
		return
	}
	u := &User{Name: l.required(name, off, entity, "UserName"), ARN: l.required(arn, off, entity, "Arn"), ID: keep(id.Str),
		Boundary: l.boundary(boundary, entity), Attached: l.attached(attached, entity), Groups: l.names(groups, entity, "GroupList"),
		Tags: l.tags(tags, entity), TagsListed: tags.Exists()}
	if u.ARN != "" {
		l.account(u.ARN, off, entity)
		l.named(u.ARN, "user", path.Str, u.Name, off, entity)
	}
	u.Inline = l.inline(inline, entity, "UserPolicyList", "user "+u.Name)
	if _, dup := l.acct.users[u.Name]; dup && u.Name != "" {
		l.errorf(off, entity, "the user appears twice")
		return
	}
	l.acct.users[u.Name] = u
	if _, ok := l.acct.userARNs[u.ARN]; !ok {
		l.acct.userARNs[u.ARN] = u
	}
	l.acct.Users = append(l.acct.Users, u)
}

func (l *loader) group(o gjson.Result, off, i int) {
	var path, name, id, arn, created, inline, attached gjson.Result
	probs := members(o, "a GroupDetail", "", []field{
		{"Path", jString, &path}, {"GroupName", jString, &name}, {"GroupId", jString, &id}, {"Arn", jString, &arn},
		{"CreateDate", jString, &created}, {"GroupPolicyList", jList, &inline}, {"AttachedManagedPolicies", jList, &attached},
	})
	entity := fmt.Sprintf("GroupDetailList[%d]", i)
	if name.Str != "" {
		entity = fmt.Sprintf("group %q", name.Str)
	}
	l.report(entity, probs)
	if !o.IsObject() {
		return
	}
	g := &Group{Name: l.required(name, off, entity, "GroupName"), ARN: l.required(arn, off, entity, "Arn"), Attached: l.attached(attached, entity)}
	if g.ARN != "" {
		l.account(g.ARN, off, entity)
		l.named(g.ARN, "group", path.Str, g.Name, off, entity)
	}
	g.Inline = l.inline(inline, entity, "GroupPolicyList", "group "+g.Name)
	if _, dup := l.acct.groups[g.Name]; dup && g.Name != "" {
		l.errorf(off, entity, "the group appears twice")
		return
	}
	l.acct.groups[g.Name] = g
	l.acct.Groups = append(l.acct.Groups, g)
}

func (l *loader) role(o gjson.Result, off, i int) {
	var path, name, id, arn, created, trust, profiles, inline, attached, boundary, tags, lastUsed gjson.Result
	probs := members(o, "a RoleDetail", "", []field{
		{"Path", jString, &path}, {"RoleName", jString, &name}, {"RoleId", jString, &id}, {"Arn", jString, &arn},
		{"CreateDate", jString, &created}, {"AssumeRolePolicyDocument", jDocument, &trust}, {"InstanceProfileList", jList, &profiles},
		{"RolePolicyList", jList, &inline}, {"AttachedManagedPolicies", jList, &attached}, {"PermissionsBoundary", jObject, &boundary},
		{"Tags", jList, &tags}, {"RoleLastUsed", jObject, &lastUsed},
	})
	entity := fmt.Sprintf("RoleDetailList[%d]", i)
	if name.Str != "" {
		entity = fmt.Sprintf("role %q", name.Str)
	}
	l.report(entity, probs)
	if !o.IsObject() {
		return
	}
	r := &Role{Name: l.required(name, off, entity, "RoleName"), ARN: l.required(arn, off, entity, "Arn"), ID: keep(id.Str),
		Boundary: l.boundary(boundary, entity), Attached: l.attached(attached, entity), Tags: l.tags(tags, entity), TagsListed: tags.Exists()}
	if r.ARN != "" {
		l.account(r.ARN, off, entity)
		l.named(r.ARN, "role", path.Str, r.Name, off, entity)
	}
	r.Inline = l.inline(inline, entity, "RolePolicyList", "role "+r.Name)
	r.InstanceProfiles = l.instanceProfiles(profiles, entity)
	r.Trust = l.document(trust, off, entity, "AssumeRolePolicyDocument", "role "+r.Name+" trust policy")
	if r.Trust != nil {
		for _, e := range policy.Check(r.Trust, policy.KindTrust) {
			l.errorf(off, entity, "AssumeRolePolicyDocument: %v", e)
		}
	}
	if _, dup := l.acct.roles[r.Name]; dup && r.Name != "" {
		l.errorf(off, entity, "the role appears twice")
		return
	}
	l.acct.roles[r.Name] = r
	if _, ok := l.acct.roleARNs[r.ARN]; !ok {
		l.acct.roleARNs[r.ARN] = r
	}
	l.acct.Roles = append(l.acct.Roles, r)
}

// version is a member of a managed policy's PolicyVersionList.
type version struct {
	index    int
	id       string
	document gjson.Result
	// flag is IsDefaultVersion, when given
	flag gjson.Result
}

func (l *loader) managed(o gjson.Result, off, i int) {
	var name, id, arn, path, def, attachments, boundaries, attachable, desc, created, updated, versions gjson.Result
	probs := members(o, "a ManagedPolicyDetail", "", []field{
		{"PolicyName", jString, &name}, {"PolicyId", jString, &id}, {"Arn", jString, &arn}, {"Path", jString, &path},
		{"DefaultVersionId", jString, &def}, {"AttachmentCount", jNumber, &attachments}, {"PermissionsBoundaryUsageCount", jNumber, &boundaries},
		{"IsAttachable", jBool, &attachable}, {"Description", jString, &desc}, {"CreateDate", jString, &created}, {"UpdateDate", jString, &updated},
		{"PolicyVersionList", jList, &versions},
	})
	entity := fmt.Sprintf("Policies[%d]", i)
	if name.Str != "" {
		entity = fmt.Sprintf("managed policy %q", name.Str)
	}
	l.report(entity, probs)
	if !o.IsObject() {
		return
	}
	pname, parn := l.required(name, off, entity, "PolicyName"), l.required(arn, off, entity, "Arn")
	if parn != "" {
		// AWS managed policies are in account "aws"
		if parts, ok := request.SplitARN(parn); !ok || parts[4] != "aws" {
			l.account(parn, off, entity)
		}
		l.named(parn, "policy", path.Str, pname, off, entity)
	}
	doc, ok := l.defaultVersion(versions, def, off, entity)
	if !ok {
		return
	}
	p := l.document(doc, off, entity, "PolicyVersionList.Document", parn)
	if p == nil {
		return
	}
	if _, dup := l.acct.Policies[parn]; dup {
		l.errorf(off, entity, "the managed policy %s appears twice", parn)
		return
	}
	l.acct.Policies[parn] = &ManagedPolicy{Name: pname, ARN: parn, Document: p}
}

// defaultVersion returns the document of a managed policy's default
// version: the version DefaultVersionId names, which PolicyVersionList
// flags IsDefaultVersion true; or, without DefaultVersionId, the one version
// flagged. A policy has one default version: a list that flags two, a flag
// on a version DefaultVersionId does not name, or IsDefaultVersion false on
// the one it names, is a dump that disagrees with itself about which
// document governs, and an error.
func (l *loader) defaultVersion(list, def gjson.Result, off int, entity string) (gjson.Result, bool) {
	var vs []version
	seen := map[string]bool{}
	for i, v := range jsonlist.Elements(list) {
		f := fmt.Sprintf("PolicyVersionList[%d]", i)
		var doc, vid, flag, created gjson.Result
		if probs := members(v, "a policy version", f+".", []field{{"Document", jDocument, &doc}, {"VersionId", jString, &vid}, {"IsDefaultVersion", jBool, &flag}, {"CreateDate", jString, &created}}); probs != nil {
			l.report(entity, probs)
			return gjson.Result{}, false
		}
		if vid.Str != "" && seen[vid.Str] {
			l.errorf(v.Index, entity, "%s: VersionId %q appears twice in PolicyVersionList", f, vid.Str)
			return gjson.Result{}, false
		}
		seen[vid.Str] = true
		vs = append(vs, version{index: i, id: vid.Str, document: doc, flag: flag})
	}
	var named, flagged *version
	var flags []string
	for i := range vs {
		v := &vs[i]
		if def.Str != "" && v.id == def.Str {
			named = v
		}
		if v.flag.Type == gjson.True {
			flagged = v
			flags = append(flags, fmt.Sprintf("%s (PolicyVersionList[%d])", v.id, v.index))
		}
	}
	switch {
	case len(flags) > 1:
		l.errorf(off, entity, "IsDefaultVersion is true on %s: a managed policy has one default version", strings.Join(flags, " and "))
	case def.Str == "" && flagged == nil:
		l.errorf(off, entity, "PolicyVersionList has no default version (no DefaultVersionId, and no version with IsDefaultVersion true)")
	case def.Str == "":
		return flagged.document, true
	case named == nil:
		l.errorf(off, entity, "PolicyVersionList has no default version (DefaultVersionId %q names none of its versions)", def.Str)
	case flagged != nil && flagged != named:
		l.errorf(off, entity, "DefaultVersionId %q, but IsDefaultVersion is true on %s: the dump disagrees with itself about which version governs", def.Str, flags[0])
	case named.flag.Type == gjson.False:
		l.errorf(off, entity, "DefaultVersionId %q names PolicyVersionList[%d], whose IsDefaultVersion false says it is not the default", def.Str, named.index)
	default:
		return named.document, true
	}
	return gjson.Result{}, false
}
