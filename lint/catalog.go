package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iameval/iameval/catalog"
	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/editdist"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// The rules that check a policy against AWS's vocabulary, as package
// catalog knows it. Names that are not in the catalogue (a typo, a service
// or key that does not exist) are errors; what depends on the catalogue's
// relations between actions, resource types and keys, which AWS's
// reference keeps less completely, is a warning. Keys of identity
// providers (saml:aud, token.actions.githubusercontent.com:sub) and of
// prefixes that name no service are never flagged.
var catalogRules = []Rule{
	{"CAT001", "unknown-service", Error,
		"An action names a service prefix AWS does not have.",
		"The part of an action before the colon is a service prefix (s3, ec2, iam, ...). A prefix no service has matches no request: the action is a typo or names a service that does not exist. The prefixes are those of AWS's Service Authorization Reference, as iameval's embedded catalogue holds it."},
	{"CAT002", "unknown-action", Error,
		"An action is not an action of its service.",
		"IAM accepts any action name, but one the service does not have matches no request: in an Action it grants or denies nothing, in a NotAction it excludes nothing. Action names are those of AWS's Service Authorization Reference; letter case does not matter."},
	{"CAT003", "action-pattern-matches-nothing", Error,
		"An action with wildcards matches no action of the catalogue.",
		"A pattern such as s3:GetObjcet* matches no action, so it grants, denies or excludes nothing. Check the spelling of its literal part."},
	{"CAT004", "unknown-condition-key", Error,
		"A condition key, or the key of a policy variable, of the aws: namespace or of a known service does not exist.",
		"A key no request carries is always absent: a positive operator never matches it, a negated one or ...IfExists always does. A policy variable of such a key (${aws:usrename}) has no value, so the Resource entry or condition value holding it never matches, or always holds the variable's default (${aws:usrename, 'x'}). Variables are checked where AWS substitutes them under Version 2012-10-17: in the resource part of Resource and NotResource ARNs and in the values of String and ARN operators; ${*}, ${?} and ${$} are characters, not variables. Keys are those of AWS's Service Authorization Reference, in any letter case; keys of identity providers (saml:, accounts.google.com:, token.actions.githubusercontent.com:, ...), of prefixes that name no service, and AWS Transfer Family's session policy variables (${transfer:HomeDirectory}, ...) are not checked."},
	{"CAT005", "condition-key-not-for-actions", Warning,
		"A service's condition key is never in the requests of the statement's actions.",
		"A service key is present only in requests for the actions that support it (s3:prefix for s3:ListBucket, not s3:GetObject). When none of a statement's actions does, the key is always absent: a positive operator never matches, so the statement never applies; a negated one or ...IfExists always matches, so the condition does nothing. A policy variable of such a key has no value, so the Resource entry or condition value holding it never matches. Global keys (aws:...) are not checked, nor statements with NotAction or an action whose service part has wildcards."},
	{"CAT006", "operator-never-fits-key-type", Error,
		"A condition operator compares a kind of value the key never holds.",
		"Each key has a type (String, ARN, Numeric, Date, Bool, IPAddress, Binary). A Numeric operator never matches a String key, a Date operator a key that is not a Date, an IpAddress operator a key that is not an IP address, Bool a Numeric, Date or IP key or a global String key other than a tag (aws:SourceVpc, aws:username: ids and names, never true or false), an ARN operator a key that is neither ARN nor String. AWS allows String operators on ARN keys, ARN operators on String keys (the catalogue types keys that hold ARNs as String: aws:SourceVpcArn, aws:FederatedProvider, sns:Endpoint), Bool on tags and on service keys typed String (some hold true or false: ses:ClickTrackingEnabled) and Numeric operators on aws:EpochTime. The MFA keys are the MFA rules' (MFA009, MFA010)."},
	{"CAT007", "string-operator-on-typed-key", Warning,
		"A String operator compares the text of a Numeric, Date, Bool or IP key.",
		"A String operator compares a typed key's value as text: \"3600\" is not \"3600.0\", a date matches only the same instant written the same way, a network is no prefix of its addresses. Use the operator of the key's type (NumericLessThan, DateGreaterThan, Bool, IpAddress)."},
	{"CAT008", "resource-not-for-actions", Warning,
		"A Resource ARN is no resource type of any of the statement's actions.",
		"Each action acts on resource types with their own ARN formats (s3:GetObject on objects, arn:aws:s3:::bucket/key, not on buckets). An ARN that fits none of the types of the statement's actions never matches one of its requests. Checked only when every action of the statement is known and its element is Action and Resource, not NotAction or NotResource."},
	{"CAT009", "resource-on-star-only-actions", Warning,
		"A statement names a specific resource, but its actions support only \"Resource\": \"*\".",
		"Actions that take no resource type (s3:ListAllMyBuckets, ec2:DescribeInstances) are authorized with the resource \"*\", which a specific ARN never matches: the statement never applies. Write \"Resource\": \"*\" for them."},
	{"CAT010", "arn-fits-no-format", Error,
		"An ARN fits none of the ARN formats of its service.",
		"Every resource type of a service has an ARN format (arn:${Partition}:s3:::${BucketName} has no region and no account; arn:${Partition}:ec2:${Region}:${Account}:instance/${InstanceId} has both). An ARN whose service part is known but whose shape fits none of its formats names no resource, nor does one whose partition AWS does not have (aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc) or whose account is not 12 digits (letters, dashes, too few or too many digits). ARNs with fewer than six parts are the ARN rules' (ARN001, ARN002)."},
}

// keyUsers maps each catalogue key (lower-case name, as the catalogue
// writes it) to the actions whose requests carry it, built on first use.
var keyUsers = sync.OnceValue(func() map[string][]*catalog.Action {
	c := catalog.Default()
	out := map[string][]*catalog.Action{}
	add := func(name string, a *catalog.Action) {
		if k := c.FindKey(name); k != nil {
			id := strings.ToLower(k.Name)
			if users := out[id]; len(users) == 0 || users[len(users)-1] != a {
				out[id] = append(users, a)
			}
		}
	}
	for _, s := range c.Services() {
		for _, a := range s.Actions {
			for k := range a.AllKeys() {
				add(k, a)
			}
		}
	}
	return out
})

// catalogCheck holds one run's lookups.
type catalogCheck struct {
	c      *catalog.Catalog
	p      *policy.Policy
	expand map[string][]*catalog.Action // by lower-case pattern
	// what statements with the same actions share: whether one of them
	// supports a key, whether one acts on an ARN
	supports map[pairKey]bool
	actsOn   map[pairKey]bool
	fitsARN  map[string]bool // ARN → fits a format of its service
	out      []Finding
}

// pairKey is a statement's actions (statementActions.set) and a key or
// an ARN.
type pairKey struct{ set, name string }

func (k *catalogCheck) add(id string, v policy.Position, path, msg, fix string) {
	r := rule(id)
	k.out = append(k.out, Finding{RuleID: r.ID, Name: r.Name, Severity: r.Severity, Pos: v, Path: path, Message: msg, Fix: fix})
}

// expanded returns the actions a pattern matches, once per run.
func (k *catalogCheck) expanded(pattern string) []*catalog.Action {
	key := strings.ToLower(pattern)
	if as, ok := k.expand[key]; ok {
		return as
	}
	as := k.c.Expand(pattern)
	k.expand[key] = as
	return as
}

// catalogFindings applies the rules of catalogRules to p.
func catalogFindings(p *policy.Policy) []Finding {
	k := &catalogCheck{c: catalog.Default(), p: p, expand: map[string][]*catalog.Action{},
		supports: map[pairKey]bool{}, actsOn: map[pairKey]bool{}, fitsARN: map[string]bool{}}
	for _, s := range p.Statements {
		k.statement(s)
	}
	return k.out
}

// statementActions is what a statement's Action or NotAction element names.
type statementActions struct {
	actions  []*catalog.Action // every action it matches, without repeats
	known    bool              // every entry matches some action
	wildSvc  bool              // some entry's service part has wildcards ("*", "*:Get*")
	elements string            // "Action" or "NotAction"
	set      string            // the element's entries, lower-cased: its identity
}

func (k *catalogCheck) statement(s *policy.Statement) {
	sa := k.actions(s.Action)
	for _, c := range s.Conditions {
		k.clause(c, s, sa)
	}
	if s.Resource != nil {
		k.resources(s, sa)
	}
	k.statementVariables(s, sa)
}

// actions checks each entry of an Action or NotAction element and returns
// the actions the element names.
func (k *catalogCheck) actions(l *policy.List) statementActions {
	sa := statementActions{known: true, elements: "Action"}
	if l == nil {
		sa.known = false
		return sa
	}
	if l.Not {
		sa.elements = "NotAction"
	}
	seen := map[*catalog.Action]bool{}
	var set strings.Builder
	for _, v := range l.Values {
		set.WriteString(strings.ToLower(v.Text))
		set.WriteByte(0)
		prefix, name, ok := strings.Cut(v.Text, ":")
		if v.Text == "*" {
			sa.wildSvc = true
			continue
		}
		if !ok || prefix == "" || name == "" {
			sa.known = false // the grammar rules report it
			continue
		}
		var found []*catalog.Action
		switch {
		case strings.ContainsAny(prefix, "*?"):
			sa.wildSvc = true
			found = k.expanded(v.Text)
			if len(found) == 0 {
				k.add("CAT003", v.Pos(), v.Path, fmt.Sprintf("%s %q matches no action of any service", sa.elements, v.Text),
					"check the pattern: its service part has wildcards and its action part matches no action of any service")
			}
		case k.c.Service(prefix) == nil:
			msg := fmt.Sprintf("%s %q: no AWS service has the prefix %q", sa.elements, v.Text, prefix)
			fix := fmt.Sprintf("write the service prefix of the Service Authorization Reference (the catalogue is %s %s)", k.c.Source(), k.c.Version())
			if sugg := k.c.SuggestService(prefix); len(sugg) > 0 {
				msg += fmt.Sprintf("; did you mean %s?", sugg[0])
				fix = fmt.Sprintf("write %q", sugg[0]+":"+name)
			}
			k.add("CAT001", v.Pos(), v.Path, msg, fix)
		case strings.ContainsAny(name, "*?"):
			found = k.expanded(v.Text)
			if len(found) == 0 {
				svc := k.c.Service(prefix).Prefix
				msg := fmt.Sprintf("%s %q matches no action of %s", sa.elements, v.Text, svc)
				fix := fmt.Sprintf("check the pattern against the actions of %s", svc)
				// a pattern that is a name and a trailing '*': the
				// name's nearest action
				if lit := strings.TrimRight(name, "*"); !strings.ContainsAny(lit, "*?") && lit != "" {
					if sugg := k.c.Suggest(prefix + ":" + lit); len(sugg) > 0 {
						msg += fmt.Sprintf("; did you mean %s*?", sugg[0])
						fix = fmt.Sprintf("write %q", sugg[0].String()+"*")
					}
				}
				k.add("CAT003", v.Pos(), v.Path, msg, fix)
			}
		default:
			if a := k.c.Action(v.Text); a != nil {
				found = []*catalog.Action{a}
				break
			}
			svc := k.c.Service(prefix).Prefix
			msg := fmt.Sprintf("%s %q: %s has no action %q", sa.elements, v.Text, svc, name)
			fix := fmt.Sprintf("write an action of %s, as the Service Authorization Reference names it (the catalogue is %s %s)", svc, k.c.Source(), k.c.Version())
			if sugg := k.c.Suggest(v.Text); len(sugg) > 0 {
				msg += fmt.Sprintf("; did you mean %s?", sugg[0])
				fix = fmt.Sprintf("write %q", sugg[0].String())
			}
			k.add("CAT002", v.Pos(), v.Path, msg, fix)
		}
		if len(found) == 0 {
			sa.known = false
		}
		for _, a := range found {
			if !seen[a] {
				seen[a] = true
				sa.actions = append(sa.actions, a)
			}
		}
	}
	sa.set = set.String()
	return sa
}

// checkedNamespace reports whether the keys of the prefix of key are
// checked: aws: and the prefixes of services.
func (k *catalogCheck) checkedNamespace(key string) bool {
	prefix, _, ok := strings.Cut(key, ":")
	return ok && (strings.EqualFold(prefix, "aws") || k.c.Service(prefix) != nil)
}

// clause checks one condition key and its operator.
func (k *catalogCheck) clause(c *policy.Clause, s *policy.Statement, sa statementActions) {
	if !k.checkedNamespace(c.Key) {
		return
	}
	ck := k.c.FindKey(c.Key)
	if ck == nil {
		tail, fix := k.unknownKey(c.Key, sa, func(name string) string { return name })
		k.add("CAT004", c.Pos(), c.Path, fmt.Sprintf("condition key %q does not exist: %s%s", c.Key, absentOutcome(c), tail), fix)
		return
	}
	k.operator(c, ck)
	if users, ok := k.unsupported(ck, c.Key, sa); ok {
		k.add("CAT005", c.Pos(), c.Path,
			fmt.Sprintf("%s is never in a request for %s: %s", c.Key, actionList(sa.actions), absentOutcome(c)),
			fmt.Sprintf("test a key these actions support, or move the condition to a statement with an action that supports %s (%s)", c.Key, users))
	}
}

// unknownKey says what to do about key, which the catalogue does not
// know: the end of the finding's message (a "did you mean") and its fix.
// write renders a key as the policy would write it.
func (k *catalogCheck) unknownKey(key string, sa statementActions, write func(string) string) (tail, fix string) {
	fix = fmt.Sprintf("write a key of the Service Authorization Reference (the catalogue is %s %s)", k.c.Source(), k.c.Version())
	if sugg := k.c.SuggestKey(key); len(sugg) > 0 {
		name := keyName(sugg[0], key)
		if strings.HasSuffix(name, "TAG-KEY") {
			return fmt.Sprintf("; a tag key goes after the slash: %s", name), fmt.Sprintf("write %q with the tag's key for TAG-KEY", write(name))
		}
		return fmt.Sprintf("; did you mean %s?", name), fmt.Sprintf("write %q", write(name))
	}
	if keys := supportedKeys(sa, 4); len(keys) > 0 {
		fix = fmt.Sprintf("write a global key (aws:...) or a key the statement's actions support: %s", strings.Join(keys, ", "))
	}
	return "", fix
}

// unsupported reports whether ck, a service key written key, is never in
// a request for the statement's actions, and names at most three of the
// actions whose requests carry it. It is false for global keys, and when
// the statement's actions are not known (NotAction, a wildcard service, an
// unknown action) or no action lists the key (the catalogue is silent, not
// the request).
func (k *catalogCheck) unsupported(ck *catalog.ConditionKey, key string, sa statementActions) (string, bool) {
	if ck.Global || strings.HasPrefix(strings.ToLower(key), "aws:") {
		return "", false
	}
	if sa.elements != "Action" || !sa.known || sa.wildSvc || len(sa.actions) == 0 {
		return "", false
	}
	users := keyUsers()[strings.ToLower(ck.Name)]
	if len(users) == 0 {
		return "", false
	}
	pk := pairKey{sa.set, strings.ToLower(key)}
	supported, ok := k.supports[pk]
	if !ok {
		for _, a := range sa.actions {
			if a.SupportsKey(key) {
				supported = true
				break
			}
		}
		k.supports[pk] = supported
	}
	if supported {
		return "", false
	}
	names := make([]string, 0, 3)
	for _, a := range users[:min(3, len(users))] {
		names = append(names, a.String())
	}
	more := ""
	if len(users) > 3 {
		more = fmt.Sprintf(" and %d more", len(users)-3)
	}
	return strings.Join(names, ", ") + more, true
}

// supportedKeys returns at most n of the service keys the statement's
// actions support, when its actions are known: none for NotAction or a
// wildcard service.
func supportedKeys(sa statementActions, n int) []string {
	if sa.elements != "Action" || !sa.known || sa.wildSvc {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if l := strings.ToLower(k); !seen[l] && !strings.HasPrefix(l, "aws:") && len(out) < n {
			seen[l] = true
			out = append(out, k)
		}
	}
	for _, a := range sa.actions {
		for k := range a.AllKeys() {
			add(k)
		}
	}
	return out
}

// keyName is how a suggested key would be written for name: the key, or,
// for a key with a variable part, its fixed part and the tail of name
// ("aws:PrincipalTags/team" → aws:PrincipalTag/team).
func keyName(k *catalog.ConditionKey, name string) string {
	i := strings.IndexAny(k.Name, "$<")
	if i < 0 {
		return k.Name
	}
	if j := strings.IndexByte(name, '/'); j >= 0 && j+1 < len(name) && strings.HasSuffix(k.Name[:i], "/") {
		return k.Name[:i] + name[j+1:]
	}
	// the variable part, said as a part to fill in, not as a policy
	// variable (which a key name cannot hold)
	return k.Name[:i] + "TAG-KEY"
}

// absentOutcome says what a clause does when its key is absent.
func absentOutcome(c *policy.Clause) string {
	if c.Cond == nil {
		return "the key is always absent"
	}
	if c.Cond.Eval(&request.Context{}) {
		return fmt.Sprintf("the key is always absent, so %s always matches and the condition has no effect", c.Operator)
	}
	return fmt.Sprintf("the key is always absent, so %s never matches and the statement never applies", c.Operator)
}

// actionList names the actions, at most three.
func actionList(as []*catalog.Action) string {
	var names []string
	for _, a := range as[:min(3, len(as))] {
		names = append(names, a.String())
	}
	s := strings.Join(names, ", ")
	if len(as) > 3 {
		s += fmt.Sprintf(" and %d more", len(as)-3)
	}
	return s
}

// typeFit says how an operator family fits a key type.
type typeFit uint8

const (
	fits      typeFit = iota
	textOnly          // a String operator on a typed key: compares text
	neverFits         // the operator never matches a value of the type
)

// fit is how an operator of family f fits a key of type t (the type of
// one value) called key.
func fit(f condition.Family, t catalog.KeyType, key string) typeFit {
	switch t {
	case "String", "ARN", "Numeric", "Date", "Bool", "IPAddress", "Binary":
	default:
		return fits // a type the rules do not know
	}
	switch f {
	case condition.FamilyNull:
		return fits
	case condition.FamilyString:
		if t == "String" || t == "ARN" {
			return fits
		}
		return textOnly
	case condition.FamilyARN:
		if t == "ARN" || t == "String" {
			return fits
		}
	case condition.FamilyNumeric:
		if t == "Numeric" || strings.EqualFold(key, "aws:EpochTime") {
			return fits
		}
	case condition.FamilyDate:
		if t == "Date" {
			return fits
		}
	case condition.FamilyBool:
		// a String key may hold "true" or "false", which Bool reads: a
		// tag, or a service key the catalogue types String
		// (ses:ClickTrackingEnabled); the other global keys hold ids,
		// names and ARNs, never a Boolean
		if t == "Bool" || t == "String" && !globalNotTag(key) {
			return fits
		}
	case condition.FamilyIP:
		if t == "IPAddress" {
			return fits
		}
	case condition.FamilyBinary:
		if t == "Binary" || t == "String" {
			return fits
		}
	}
	return neverFits
}

// globalNotTag reports a global key (aws:...) other than a tag key: AWS's
// global condition keys reference gives each its values.
func globalNotTag(key string) bool {
	k := strings.ToLower(key)
	for _, prefix := range []string{"aws:principaltag/", "aws:requesttag/", "aws:resourcetag/"} {
		if strings.HasPrefix(k, prefix) {
			return false
		}
	}
	return strings.HasPrefix(k, "aws:") && catalog.Default().GlobalKey(key) != nil
}

// operatorFor names the operators of a key type.
func operatorFor(t catalog.KeyType) string {
	switch t {
	case "Numeric":
		return "a Numeric operator (NumericEquals, NumericLessThan, ...)"
	case "Date":
		return "a Date operator (DateGreaterThan, DateLessThan, ...)"
	case "Bool":
		return "Bool"
	case "IPAddress":
		return "IpAddress or NotIpAddress"
	case "Binary":
		return "BinaryEquals"
	case "ARN":
		return "an ARN operator (ArnLike, ArnEquals, ...) or a String one"
	}
	return "a String operator (StringEquals, StringLike, ...)"
}

// operator checks that the clause's operator fits its key's type.
func (k *catalogCheck) operator(c *policy.Clause, ck *catalog.ConditionKey) {
	if isMFAPresent(c.Key) || isMFAAge(c.Key) {
		return // MFA009, MFA010
	}
	t := ck.Type.Elem()
	switch fit(c.Op.Base.Family(), t, c.Key) {
	case neverFits:
		k.add("CAT006", c.OpPos(), c.Path, fmt.Sprintf("%s is of type %s, which %s never matches", c.Key, ck.Type, c.Operator),
			"use "+operatorFor(t))
	case textOnly:
		k.add("CAT007", c.OpPos(), c.Path, fmt.Sprintf("%s is of type %s, but %s compares its value as text", c.Key, ck.Type, c.Operator),
			"use "+operatorFor(t))
	}
}

// resources checks a statement's Resource or NotResource ARNs.
func (k *catalogCheck) resources(s *policy.Statement, sa statementActions) {
	// the resource types of the statement's actions, when the rules on
	// them apply
	relate := !s.Resource.Not && sa.elements == "Action" && sa.known && !sa.wildSvc && len(sa.actions) > 0
	var types []*catalog.ResourceType
	onlyStar := true
	if relate {
		seen := map[*catalog.ResourceType]bool{}
		for _, a := range sa.actions {
			if !a.OnlyStar() {
				onlyStar = false
			}
			for _, r := range a.Resources {
				if !seen[r.Type] {
					seen[r.Type] = true
					types = append(types, r.Type)
				}
			}
		}
	}
	for _, v := range s.Resource.Values {
		if !strings.HasPrefix(v.Text, "arn:") {
			continue
		}
		parts := arnParts(v.Text)
		if len(parts) < 6 {
			continue // ARN001, ARN002
		}
		if k.shape(v, parts) || !relate {
			continue
		}
		if onlyStar {
			whole := true
			for _, a := range sa.actions {
				whole = whole && a.NamesWholeService(parts[2], strings.Join(parts[5:], ":"))
			}
			if whole {
				// every resource of the actions' own service: a request on
				// "*" is honoured (catalog.WholeService)
				continue
			}
			k.add("CAT009", v.Pos(), v.Path,
				fmt.Sprintf("%s %s only \"Resource\": \"*\", so %q never matches a request for %s and the statement never applies", actionList(sa.actions), verb(len(sa.actions), "supports", "support"), v.Text, them(len(sa.actions))),
				`write "Resource": "*" for these actions, which act on no specific resource`)
			continue
		}
		pk := pairKey{sa.set, v.Text}
		matched, ok := k.actsOn[pk]
		if !ok {
			svc := strings.ToLower(parts[2])
			literal := !strings.ContainsAny(svc, "*?$")
			for _, rt := range types {
				// only a format of the ARN's service can match it
				if f := strings.SplitN(rt.ARN, ":", 4); literal && len(f) == 4 && !strings.Contains(f[2], "$") && !strings.EqualFold(f[2], svc) {
					continue
				}
				if rt.Matches(v.Text) {
					matched = true
					break
				}
			}
			k.actsOn[pk] = matched
		}
		if matched {
			continue
		}
		var formats []string
		for _, rt := range types[:min(2, len(types))] {
			formats = append(formats, rt.Name+" "+rt.ARN)
		}
		k.add("CAT008", v.Pos(), v.Path,
			fmt.Sprintf("%q is no resource of %s, which %s on %s: it never matches a request for %s", v.Text, actionList(sa.actions), verb(len(sa.actions), "acts", "act"), typeList(types), them(len(sa.actions))),
			fmt.Sprintf("name a resource these actions act on (%s), or move the ARN to a statement with actions that act on it", strings.Join(formats, ", ")))
	}
}

// verb is the singular or the plural form, for n subjects.
func verb(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// them refers to n actions.
func them(n int) string { return verb(n, "it", "them") }

// typeList names resource types, at most three.
func typeList(types []*catalog.ResourceType) string {
	// (a type of two formats is two types of one name: said once)
	var all []string
	for _, rt := range types {
		if !slices.Contains(all, rt.Name) {
			all = append(all, rt.Name)
		}
	}
	s := strings.Join(all[:min(3, len(all))], ", ")
	if len(all) > 3 {
		s += fmt.Sprintf(" and %d more", len(all)-3)
	}
	return s
}

// shape reports (CAT010) an ARN whose service part is literal and known
// but which fits none of that service's ARN formats; it returns whether
// it did.
func (k *catalogCheck) shape(v policy.Value, parts []string) bool {
	svc := parts[2]
	if svc == "" || strings.ContainsAny(svc, "*?$") {
		return false
	}
	types := k.c.ARNTypes(svc)
	if len(types) == 0 {
		return false
	}
	fitsAny := func(arn string) bool {
		for _, rt := range types {
			if rt.Matches(arn) {
				return true
			}
		}
		return false
	}
	if k.partitionOrAccount(v, parts, fitsAny) {
		return true
	}
	fits, ok := k.fitsARN[v.Text]
	if !ok {
		fits = fitsAny(v.Text)
		k.fitsARN[v.Text] = fits
	}
	if fits {
		return false
	}
	fix := ""
	// a region or an account the service's ARNs do not have
	for _, try := range []struct {
		region, account bool
		why             string
	}{{true, false, "no region"}, {false, true, "no account"}, {true, true, "neither region nor account"}} {
		p := append([]string(nil), parts...)
		if try.region {
			p[3] = ""
		}
		if try.account {
			p[4] = ""
		}
		if arn := strings.Join(p, ":"); arn != v.Text && fitsAny(arn) {
			fix = fmt.Sprintf("write %q: these %s ARNs have %s", arn, svc, try.why)
			break
		}
	}
	// an IAM role or user written with sts (whose own ARNs are sessions and
	// federated users), or an STS ARN written with iam
	if other, ok := map[string]string{"sts": "iam", "iam": "sts"}[strings.ToLower(svc)]; ok && fix == "" {
		p := append([]string(nil), parts...)
		p[2] = other
		arn := strings.Join(p, ":")
		for _, rt := range k.c.ARNTypes(other) {
			if rt.Matches(arn) {
				fix = fmt.Sprintf("write %q: %s ARNs are %s ARNs (%s)", arn, rt.Name, other, rt.ARN)
				break
			}
		}
	}
	if fix == "" {
		var formats []string
		for _, rt := range nearTypes(types, strings.Join(parts[5:], ":")) {
			formats = append(formats, rt.ARN)
		}
		fix = "write the ARN in a format of its resource type, such as " + strings.Join(formats, " or ")
	}
	k.add("CAT010", v.Pos(), v.Path, fmt.Sprintf("%q fits none of the %d ARN formats of %s resources: it names no resource", v.Text, len(types), svc), fix)
	return true
}

// partitions are AWS's partitions, the second part of every ARN.
var partitions = request.Partitions()

// partitionOrAccount flags (CAT010) an ARN whose partition AWS does not
// have or whose account is not 12 digits: every format has ${Partition} and
// ${Account} there, which no such ARN fills. Wildcards, policy variables,
// an empty account and "aws" (of AWS managed policies) are the formats' to
// judge. The fix keeps a 12-digit account (the digits written, without
// dashes, or 123456789012) where the service's formats have one, and
// empties it only where they have none.
func (k *catalogCheck) partitionOrAccount(v policy.Value, parts []string, fitsAny func(string) bool) bool {
	open := func(s string) bool { return strings.ContainsAny(s, "*?$") }
	p := parts[1]
	if !open(p) && !slices.Contains(partitions, p) {
		near, best := partitions[0], len(p)+len(partitions[0])
		for _, q := range partitions {
			if d := editdist.Distance(strings.ToLower(p), q, best); d < best {
				near, best = q, d
			}
		}
		fixed := append([]string(nil), parts...)
		fixed[1] = near
		k.add("CAT010", v.Pos(), v.Path, fmt.Sprintf("%q names the partition %q, which AWS does not have (%s): it names no resource", v.Text, p, strings.Join(partitions, ", ")),
			fmt.Sprintf("write %q", strings.Join(fixed, ":")))
		return true
	}
	a := parts[4]
	if a != "" && !open(a) && a != "aws" && !request.IsAccountID(a) {
		// the account of the ARN's type, 12 digits: the digits written,
		// without the dashes the console shows, or a placeholder; an
		// empty account only where the service's ARNs have none
		account := strings.NewReplacer("-", "", " ", "").Replace(a)
		own := request.IsAccountID(account)
		if !own {
			account = "123456789012"
		}
		fixed := append([]string(nil), parts...)
		fixed[4] = account
		fix := "write the account's ID, 12 digits with its leading zeros, or * for any account"
		switch arn := strings.Join(fixed, ":"); {
		case fitsAny(arn) && own:
			fix = fmt.Sprintf("write %q", arn)
		case fitsAny(arn):
			fix = fmt.Sprintf("write %q, with the account's own ID (12 digits with its leading zeros), or * for any account", arn)
		default:
			fixed[4] = ""
			if arn := strings.Join(fixed, ":"); fitsAny(arn) {
				fix = fmt.Sprintf("write %q: these %s ARNs have no account", arn, parts[2])
			}
		}
		k.add("CAT010", v.Pos(), v.Path, fmt.Sprintf("%q names the account %s, which is not an AWS account ID (12 digits): it names no resource", v.Text, a), fix)
		return true
	}
	return false
}

// nearTypes returns at most two resource types whose format's resource
// part starts as res does (its first word, up to '/' or ':'), or the
// first two. Among those, the closest first: the type named by the word
// (Lambda's function, not a function's durable execution), then the
// formats with as many parts as res, then the shorter.
func nearTypes(types []*catalog.ResourceType, res string) []*catalog.ResourceType {
	word := strings.ToLower(res)
	if i := strings.IndexAny(word, "/:"); i >= 0 {
		word = word[:i]
	}
	seps := func(s string) int { return strings.Count(s, "/") + strings.Count(s, ":") }
	resPart := func(rt *catalog.ResourceType) string {
		if fp := strings.SplitN(rt.ARN, ":", 6); len(fp) == 6 {
			return fp[5]
		}
		return ""
	}
	var out []*catalog.ResourceType
	for n := len(word); n >= 1 && len(out) == 0; n-- {
		for _, rt := range types {
			if fp := resPart(rt); fp != "" && strings.HasPrefix(strings.ToLower(fp), word[:n]) &&
				!slices.ContainsFunc(out, func(o *catalog.ResourceType) bool { return o.ARN == rt.ARN }) {
				out = append(out, rt) // a format once, whichever types share it
			}
		}
	}
	named := func(rt *catalog.ResourceType) int {
		if strings.EqualFold(rt.Name, word) {
			return 0
		}
		return 1
	}
	gap := func(rt *catalog.ResourceType) int {
		d := seps(resPart(rt)) - seps(res)
		if d < 0 {
			d = -d
		}
		return d
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if named(a) != named(b) {
			return named(a) < named(b)
		}
		return gap(a) < gap(b) // then the catalogue's order
	})
	out = out[:min(2, len(out))]
	if len(out) == 0 {
		out = types[:min(2, len(types))]
	}
	return out
}
