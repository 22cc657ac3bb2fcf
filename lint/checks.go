package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iameval/iameval/internal/editdist"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
)

// The rules on a policy's size, its Version and its ARNs.
var policyRules = []Rule{
	{"ARN001", "arn-missing-parts", Error,
		"A Resource or NotResource ARN has fewer than the six parts arn:partition:service:region:account:resource.",
		"Every ARN has six colon-separated parts; a service whose ARNs have no region or account leaves that part empty (arn:aws:s3:::bucket/key). IAM refuses a shorter ARN with an empty part (\"The policy failed legacy parsing\"), and one that does not end in * is missing a part."},
	{"ARN002", "arn-short-wildcard", Note,
		"A Resource or NotResource ARN ends in * before its sixth part; the * stands for the parts it lacks.",
		"IAM stores an ARN such as arn:aws:ec2:* and its final * matches the missing parts, so it means arn:aws:ec2:*:*:*. Writing all six parts says so."},
	{"PRN001", "invalid-aws-principal", Error,
		"An AWS principal is none of the forms IAM accepts.",
		"IAM's Principal element reference lists what an AWS principal may be: \"*\", a 12-digit account id, the account's root ARN (arn:aws:iam::123456789012:root), an IAM user or role ARN (arn:aws:iam::123456789012:user/name, role/name), an assumed-role session ARN (arn:aws:sts::123456789012:assumed-role/role/session) or a federated user ARN (arn:aws:sts::123456789012:federated-user/name), in one of AWS's partitions. IAM refuses others (\"Invalid principal in policy\"): an account that is not 12 digits, a partition AWS does not have, an ARN of another service (a bucket is a Resource, not a principal) or of another IAM resource (a group). The unique ids AWS writes where a named principal was deleted (AIDA..., AROA...) are accepted. Service, Federated and CanonicalUser principals are not checked."},
	{"SIZE001", "size-quota", Error,
		"The policy is longer than AWS's quota for its kind.",
		"Managed policies hold 6,144 characters and role trust policies 2,048 (white space outside strings not counted); SCPs and RCPs hold 5,120, white space included. AWS refuses a longer policy."},
	{"SIZE002", "size-not-checked", Note,
		"The size of a resource-based policy is not checked.",
		"IAM sets no quota on resource-based policies: the service that stores the policy (S3, SQS, KMS, ...) sets its own, and iameval does not know it."},
	{"VAR001", "variable-is-literal", Warning,
		"A policy variable is literal text: the policy has no Version, or Version 2008-10-17.",
		"Policy variables such as ${aws:username} are recognised only under \"Version\": \"2012-10-17\". Without a Version, or under 2008-10-17, the characters ${aws:username} are compared as they are."},
}

// quota returns AWS's size quota for a policy of kind k, and false for a
// resource-based policy, whose quota the service that stores it sets.
func quota(k policy.Kind) (policy.Limit, bool) {
	switch k {
	case policy.KindIdentity:
		return policy.LimitManaged, true
	case policy.KindTrust:
		return policy.LimitTrust, true
	case policy.KindSCP:
		return policy.LimitSCP, true
	case policy.KindRCP:
		return policy.LimitRCP, true
	}
	return policy.Limit{}, false
}

// policyFindings applies the rules of policyRules to p, a policy of kind k.
func policyFindings(p *policy.Policy, k policy.Kind) []Finding {
	var out []Finding
	add := func(id string, pos policy.Position, path, msg, fix string) {
		r := rule(id)
		out = append(out, Finding{RuleID: r.ID, Name: r.Name, Severity: r.Severity, Pos: pos, Path: path, Message: msg, Fix: fix})
	}

	// size
	if l, ok := quota(k); ok {
		for _, e := range policy.CheckLimits(p, l) {
			if e.Code != policy.CodeSizeLimit {
				out = append(out, errorFinding(e))
				continue
			}
			add("SIZE001", e.Pos, e.Path, fmt.Sprintf("as %s: %s", k.Noun(), e.Msg), sizeFix(k))
		}
	} else {
		add("SIZE002", p.Start(), "$", fmt.Sprintf("the size of %s is not checked: IAM sets no quota on it, the service that stores it does", k.Noun()),
			"check the policy size quota of the service the policy is attached to")
	}

	for _, s := range p.Statements {
		// variables that are literal text
		if !p.VariablesEnabled() {
			what, fix := "this policy has no Version", `add "Version": "2012-10-17" to the policy`
			if p.Version != "" {
				what, fix = fmt.Sprintf("this policy has \"Version\": %q", p.Version), `change the Version to "2012-10-17"`
			}
			var values []policy.Value
			if s.Resource != nil {
				values = append(values, s.Resource.Values...)
			}
			for _, c := range s.Conditions {
				values = append(values, c.Values...)
			}
			for _, v := range values {
				if name, ok := variable(v.Text); ok {
					add("VAR001", v.Pos(), v.Path, fmt.Sprintf("%s is literal text, not a policy variable: variables work only under \"Version\": \"2012-10-17\", and %s", name, what), fix)
				}
			}
		}

		// AWS principals IAM refuses
		if s.Principal != nil {
			for _, e := range s.Principal.Entries {
				if e.Type == "AWS" {
					if msg, fix := badPrincipal(e.Text); msg != "" {
						add("PRN001", e.Pos(), e.Path, msg, fix)
					}
				}
			}
		}

		// ARNs with fewer than six parts
		if s.Resource != nil {
			for _, v := range s.Resource.Values {
				shortARN(v, add)
			}
		}
	}
	return out
}

func sizeFix(k policy.Kind) string {
	switch k {
	case policy.KindSCP, policy.KindRCP:
		return "delete the white space outside strings, which counts against the quota, or split the policy in two"
	case policy.KindTrust:
		return "shorten the policy (list principals once, drop Sids), or ask AWS to raise the role trust policy length quota"
	}
	return "split the policy into several managed policies, or shorten it (drop Sids, merge statements with the same effect and condition)"
}

// variable returns the first policy variable "${...}" in s.
func variable(s string) (string, bool) {
	i := strings.Index(s, "${")
	if i < 0 {
		return "", false
	}
	j := strings.IndexByte(s[i:], '}')
	if j < 0 {
		return "", false
	}
	return s[i : i+j+1], true
}

// arnParts splits an ARN on its colons, leaving those inside a policy
// variable (${aws:username}) in their part.
func arnParts(s string) []string {
	var parts []string
	start, depth := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// shortARN reports a Resource or NotResource value that is an ARN of fewer
// than six parts.
func shortARN(v policy.Value, add func(id string, pos policy.Position, path, msg, fix string)) {
	if !strings.HasPrefix(v.Text, "arn:") {
		return
	}
	parts := arnParts(v.Text)
	if len(parts) >= 6 {
		return
	}
	empty := false
	for _, part := range parts {
		if part == "" {
			empty = true
		}
	}
	last := parts[len(parts)-1]
	what := fmt.Sprintf("%q has %d of the six parts of an ARN (arn:partition:service:region:account:resource)", v.Text, len(parts))
	if !empty && strings.HasSuffix(last, "*") {
		padded := v.Text + strings.Repeat(":*", 6-len(parts))
		add("ARN002", v.Pos(), v.Path, what+`: its final "*" stands for the parts it lacks`, fmt.Sprintf("write all six parts: %q", padded))
		return
	}
	msg := what + ": a part is missing"
	if empty {
		msg = what + `: IAM refuses it ("The policy failed legacy parsing")`
	}
	fix := "write all six parts, leaving region or account empty only where the service's ARNs have none (arn:aws:s3:::bucket/key, arn:aws:iam::111122223333:user/name)"
	if len(parts) >= 3 && parts[2] == "s3" {
		// S3 bucket and object ARNs have neither region nor account.
		rest := parts[3:]
		for len(rest) > 0 && rest[0] == "" {
			rest = rest[1:]
		}
		fix = fmt.Sprintf("write %q: S3 bucket and object ARNs leave region and account empty", "arn:"+parts[1]+":s3:::"+strings.Join(rest, ":"))
	}
	add("ARN001", v.Pos(), v.Path, msg, fix)
}

// principalTypes are the resource parts of the ARNs IAM accepts as AWS
// principals, by service: the part before the first "/", and how many
// parts after it the form needs at least (assumed-role/role/session).
var principalTypes = map[string]map[string]int{
	"iam": {"root": 0, "user": 1, "role": 1},
	"sts": {"assumed-role": 2, "federated-user": 1},
}

// badPrincipal returns what is wrong with an AWS principal, and its fix,
// or "" for a form IAM accepts (PRN001).
func badPrincipal(text string) (msg, fix string) {
	const forms = "an account id (123456789012), or the ARN of an account's root (arn:aws:iam::123456789012:root), a user (arn:aws:iam::123456789012:user/name), a role (arn:aws:iam::123456789012:role/name), a role session (arn:aws:sts::123456789012:assumed-role/role/session) or a federated user (arn:aws:sts::123456789012:federated-user/name)"
	if text == "*" || !strings.HasPrefix(text, "arn:") {
		// "*", an account id, a unique id; other forms are grammar
		// errors (bad_principal)
		return "", ""
	}
	refused := fmt.Sprintf("AWS principal %q ", text)
	const invalid = `: IAM refuses the policy ("Invalid principal in policy")`
	parts := strings.SplitN(text, ":", 6)
	if len(parts) < 6 {
		return refused + "is not an ARN of six parts" + invalid, "write " + forms
	}
	partition, service, region, account, res := parts[1], parts[2], parts[3], parts[4], parts[5]
	good := parts[:5:5]
	good = append(good, res)
	var what []string
	if !slices.Contains(partitions, partition) {
		near := nearestOf(partition, partitions)
		if near == "" {
			near = "aws"
		}
		what = append(what, fmt.Sprintf("has partition %q, which AWS does not have", partition))
		good[1] = near
	}
	types, ok := principalTypes[service]
	if !ok {
		return refused + "names a resource of " + service + ", not a principal" + invalid,
			"name the principal that may act: " + forms + "; what it acts on belongs in the Resource element"
	}
	head, rest, _ := strings.Cut(res, "/")
	need, known := types[head]
	if !known {
		for s, ts := range principalTypes {
			if _, in := ts[head]; in {
				// role/x written with sts, assumed-role/x/y with iam
				good[2], types, known, need = s, ts, true, ts[head]
				what = append(what, fmt.Sprintf("names %s/... under %s, but %s ARNs are %s ARNs", head, service, head, s))
			}
		}
	}
	if !known {
		var names []string
		for n := range types {
			names = append(names, n)
		}
		slices.Sort(names)
		near := nearestOf(head, names)
		if near == "" {
			return refused + fmt.Sprintf("names %q, which is no principal of %s", head, service) + invalid, "write " + forms
		}
		what = append(what, fmt.Sprintf("names %q, which is no principal of %s (did you mean %s?)", head, service, near))
		good[5] = near
		if rest != "" {
			good[5] += "/" + rest
		}
		need = types[near]
	}
	if n := len(strings.Split(rest, "/")); rest == "" && need > 0 || rest != "" && n < need {
		what = append(what, fmt.Sprintf("lacks the parts of a %s ARN (a role session is assumed-role/role/session)", strings.SplitN(good[5], "/", 2)[0]))
	}
	if region != "" {
		what = append(what, "has a region, which IAM and STS principal ARNs do not")
		good[3] = ""
	}
	if !request.IsAccountID(account) {
		what = append(what, fmt.Sprintf("has account %q, which is not 12 digits", account))
		good[4] = "123456789012"
	}
	if len(what) == 0 {
		return "", ""
	}
	msg = refused + strings.Join(what, ", ") + invalid
	fixed := strings.Join(good, ":")
	if fixed == text {
		return msg, "write " + forms
	}
	fix = fmt.Sprintf("write %q", fixed)
	if good[4] != account {
		fix += ", with the principal's own 12-digit account id"
	}
	return msg, fix
}

// nearestOf returns the name of names nearest to s, within two edits, or "".
func nearestOf(s string, names []string) string {
	best, bestD := "", 3
	for _, n := range names {
		if d := editdist.Distance(strings.ToLower(s), n, bestD); d < bestD {
			best, bestD = n, d
		}
	}
	return best
}
