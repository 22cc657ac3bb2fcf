package request

import (
	"fmt"
	"slices"
	"strings"
)

// PrincipalKind says what kind of caller a principal string names.
type PrincipalKind uint8

// The kinds of caller. The zero value, PrincipalUnknown, is a string that is
// none of the forms below; it matches only "*" and identical text.
const (
	PrincipalUnknown       PrincipalKind = iota
	PrincipalAnonymous                   // Anonymous: an unsigned request
	PrincipalUser                        // arn:PART:iam::ACCT:user/PATH/NAME
	PrincipalRole                        // arn:PART:iam::ACCT:role/PATH/NAME
	PrincipalAssumedRole                 // arn:PART:sts::ACCT:assumed-role/ROLE/SESSION
	PrincipalFederatedUser               // arn:PART:sts::ACCT:federated-user/NAME
	PrincipalRoot                        // arn:PART:iam::ACCT:root
	PrincipalService                     // a service principal such as s3.amazonaws.com
	// PrincipalNone is the empty string: the request names no caller, as
	// a SimulateCustomPolicy request without CallerArn. Only identity-side
	// policies can decide it; it has no account and no principal keys.
	PrincipalNone
	// PrincipalWebIdentity is a caller of sts:AssumeRoleWithWebIdentity,
	// named as a trust policy's "Federated" entry names its identity
	// provider: an IAM OIDC provider's ARN,
	// arn:PART:iam::ACCT:oidc-provider/HOST[/PATH], or a provider AWS
	// knows by name (cognito-identity.amazonaws.com, accounts.google.com,
	// graph.facebook.com, www.amazon.com).
	PrincipalWebIdentity
	// PrincipalSAML is a caller of sts:AssumeRoleWithSAML, named by its
	// SAML provider's ARN, arn:PART:iam::ACCT:saml-provider/NAME.
	PrincipalSAML
)

// Anonymous is the principal of an unsigned (anonymous) request, such as a
// public read of an S3 object. Only a resource policy that names everyone
// ("Principal": "*") grants to it. It is not an ARN, so it cannot be confused
// with a real caller; an empty principal means "no caller given", not
// anonymous.
const Anonymous = "anonymous"

var kindNames = [...]string{"Unknown", "Anonymous", "User", "Role", "AssumedRole", "FederatedUser", "Account", "Service", "None", "WebIdentity", "SAML"}

// String returns the kind as aws:PrincipalType spells it where such a value
// exists ("User", "AssumedRole", "FederatedUser", "Account", "Anonymous"),
// and "Unknown", "Role", "Service", "None", "WebIdentity" or "SAML"
// otherwise.
func (k PrincipalKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Unknown"
}

// Identityless reports whether a caller of kind k is no principal of an
// account: an anonymous request, a service principal, or a web-identity or
// SAML federated caller (whose sts:AssumeRoleWith* call is vouched for by
// its identity provider, not signed with AWS credentials). Identity-based
// policies, permissions boundaries, session policies and SCPs govern the
// principals of an account, so none of them applies to such a caller; only
// resource-based policies and RCPs do.
func (k PrincipalKind) Identityless() bool {
	switch k {
	case PrincipalAnonymous, PrincipalService, PrincipalWebIdentity, PrincipalSAML:
		return true
	}
	return false
}

// Principal is a caller's identity as read from its ARN. All strings are
// substrings of the ARN, so reading one does not allocate.
type Principal struct {
	ARN       string
	Kind      PrincipalKind
	Partition string // "aws", "aws-cn", ...
	Account   string // 12-digit account id; empty when not known, and for Identityless kinds
	Name      string // user, role or federated-user name (no path); a service's or identity provider's name
	Session   string // role session name, for PrincipalAssumedRole
}

// ParsePrincipal reads a caller ARN. It never fails: the empty string gives
// PrincipalNone, Anonymous gives PrincipalAnonymous, and text that is no
// known principal form gives PrincipalUnknown. A name that ends in
// ".amazonaws.com" or ".amazonaws.com.cn" is a PrincipalService, except
// the web-identity providers AWS knows by name (WebIdentityProviders);
// an oidc-provider or saml-provider ARN is a PrincipalWebIdentity or a
// PrincipalSAML, whose Name is the provider and whose Account is empty (the
// provider's account is in the ARN; the caller is no principal of it).
func ParsePrincipal(s string) Principal {
	p := Principal{ARN: s}
	switch s {
	case "":
		p.Kind = PrincipalNone
		return p
	case Anonymous:
		p.Kind = PrincipalAnonymous
		return p
	}
	parts, ok := SplitARN(s)
	if !ok {
		switch {
		case isWebIdentityProvider(s):
			p.Kind, p.Name = PrincipalWebIdentity, s
		case strings.HasSuffix(s, ".amazonaws.com") || strings.HasSuffix(s, ".amazonaws.com.cn"):
			p.Kind, p.Name = PrincipalService, s
		}
		return p
	}
	p.Partition, p.Account = parts[1], parts[4]
	res := parts[5]
	switch parts[2] {
	case "iam":
		switch {
		case strings.HasPrefix(res, "oidc-provider/") && len(res) > len("oidc-provider/") && p.Account != "":
			p.Kind, p.Name, p.Account = PrincipalWebIdentity, res[len("oidc-provider/"):], ""
			return p
		case strings.HasPrefix(res, "saml-provider/") && len(res) > len("saml-provider/") && p.Account != "":
			p.Kind, p.Name, p.Account = PrincipalSAML, res[len("saml-provider/"):], ""
			return p
		case res == "root":
			p.Kind = PrincipalRoot
		case strings.HasPrefix(res, "user/"):
			p.Kind, p.Name = PrincipalUser, lastSegment(res)
		case strings.HasPrefix(res, "role/"):
			p.Kind, p.Name = PrincipalRole, lastSegment(res)
		}
	case "sts":
		switch {
		case strings.HasPrefix(res, "assumed-role/"):
			rest := res[len("assumed-role/"):]
			if i := strings.IndexByte(rest, '/'); i > 0 && i < len(rest)-1 {
				p.Kind, p.Name, p.Session = PrincipalAssumedRole, rest[:i], rest[i+1:]
			}
		case strings.HasPrefix(res, "federated-user/"):
			p.Kind, p.Name = PrincipalFederatedUser, res[len("federated-user/"):]
		}
	}
	if p.Kind == PrincipalUnknown || p.Account == "" {
		p.Kind = PrincipalUnknown
	}
	return p
}

// WebIdentityProviders are the web-identity providers a trust policy names
// by name rather than by an IAM OIDC provider's ARN (Principal element
// page): Amazon Cognito identity pools, Google, Facebook and Login with
// Amazon.
var WebIdentityProviders = [...]string{"cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"}

func isWebIdentityProvider(s string) bool {
	for _, w := range WebIdentityProviders {
		if s == w {
			return true
		}
	}
	return false
}

func lastSegment(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		return s[i+1:]
	}
	return s
}

// SplitARN splits an ARN on its first five colons into partition-prefix
// "arn", partition, service, region, account and resource. Everything after
// the fifth colon, colons included, is the resource. ok is false when s does
// not start with "arn:" or has fewer than five colons.
func SplitARN(s string) (parts [6]string, ok bool) {
	if len(s) < 4 || s[:4] != "arn:" {
		return parts, false
	}
	parts[0] = "arn"
	n, start := 1, 4
	for i := 4; i < len(s) && n < 5; i++ {
		if s[i] == ':' {
			parts[n] = s[start:i]
			n++
			start = i + 1
		}
	}
	if n < 5 {
		return [6]string{}, false
	}
	parts[5] = s[start:]
	return parts, true
}

// IsAccountID reports whether s is a 12-digit AWS account id.
func IsAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// IsUniqueID reports whether s is the unique id of an IAM user (AIDA...) or
// role (AROA...), which AWS writes in a policy's Principal in place of a
// principal that was deleted (IAM's Principal element reference): upper-case
// letters and digits.
func IsUniqueID(s string) bool {
	if len(s) < 16 || len(s) > 128 || !strings.HasPrefix(s, "AIDA") && !strings.HasPrefix(s, "AROA") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < 'A' || s[i] > 'Z') && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// ParseAccount reads an account as AWS writes it in principals and resource
// owners: "123456789012" or "arn:PARTITION:iam::123456789012:root". It
// returns the account id.
func ParseAccount(s string) (string, bool) {
	if IsAccountID(s) {
		return s, true
	}
	if parts, ok := SplitARN(s); ok && parts[2] == "iam" && parts[5] == "root" && IsAccountID(parts[4]) {
		return parts[4], true
	}
	return "", false
}

// Lacks reports whether a live request by p never carries key, whatever
// the credentials: aws:username exists only for IAM users, and an anonymous
// request, like a web-identity or SAML caller's sts:AssumeRoleWith* call,
// carries no principal key of an account at all (global condition keys
// page; SPEC 4). It reports false for keys that depend on the credentials (the MFA
// keys, aws:TokenIssueTime) or on data the ARN does not tell (tags), and for
// a request without a caller, whose keys are unknown.
func (p Principal) Lacks(key string) bool {
	switch p.Kind {
	case PrincipalNone, PrincipalUnknown:
		return false
	case PrincipalAnonymous, PrincipalWebIdentity, PrincipalSAML:
		// unsigned, or vouched for by an identity provider: no AWS
		// credentials, so no principal key of an account
		for _, k := range [...]string{KeyUsername, KeyUserID, KeyPrincipalARN, KeyPrincipalAccount} {
			if strings.EqualFold(key, k) {
				return true
			}
		}
		lk := strings.ToLower(key)
		return strings.HasPrefix(lk, "aws:principaltag/") || lk == "aws:principalorgid" || lk == "aws:principalorgpaths"
	}
	return p.Kind != PrincipalUser && strings.EqualFold(key, KeyUsername)
}

// CheckKeyName reports what is wrong with name as a condition key: it must
// have a service prefix and a name, "service:name" (aws:SourceIp,
// s3:prefix, aws:PrincipalTag/team), as every key of a policy does (IAM:
// "Actions/Conditions must be prefaced by a vendor"). An identity
// provider's claims are keys prefixed with the provider's host and path
// (token.actions.githubusercontent.com:sub,
// oidc.eks.REGION.amazonaws.com/id/ID:sub) or with SAML (SAML:aud), so the
// prefix may hold letters, digits, dots, hyphens and slashes. It returns
// nil for a valid key.
func CheckKeyName(name string) error {
	vendor, rest, ok := strings.Cut(name, ":")
	if !ok || vendor == "" || rest == "" {
		return fmt.Errorf("context key %q has no service prefix: write service:name, e.g. aws:SourceIp", name)
	}
	for i := 0; i < len(vendor); i++ {
		c := vendor[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '/') {
			return fmt.Errorf("context key %q: service prefix %q is not valid", name, vendor)
		}
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == ' ' {
			return fmt.Errorf("context key %q contains white space or a control character", name)
		}
	}
	return nil
}

// CheckCaller reports what is wrong with s as the caller of a request: it
// must name one principal, as a trust or resource policy's Principal
// element names it, without wildcards:
//
//   - an IAM user, a role, a role session, a federated-user session or an
//     account's root user, as its ARN: a known partition, no region, an
//     account of 12 digits, and a name made of the characters IAM allows
//     in user, role and session names (letters, digits and +=,.@_-), in
//     non-empty path segments; a role session is assumed-role/ROLE/SESSION;
//   - a service principal, SERVICE.amazonaws.com (or .amazonaws.com.cn),
//     in lower case;
//   - a web-identity caller, as its identity provider: an IAM OIDC
//     provider's ARN, arn:PART:iam::ACCOUNT:oidc-provider/HOST[/PATH]
//     (the provider's URL without https://), or one of
//     WebIdentityProviders;
//   - a SAML caller, as its provider's ARN,
//     arn:PART:iam::ACCOUNT:saml-provider/NAME.
//
// (AWS's simulator takes only IAM users as CallerArn; the other principals
// are iameval's extension.) Anonymous and the empty string (no caller) are
// the caller's to handle.
func CheckCaller(s string) error {
	if strings.ContainsAny(s, "*?") {
		return fmt.Errorf("%q has a wildcard: a caller is one principal", s)
	}
	parts, ok := SplitARN(s)
	if !ok {
		switch p := ParsePrincipal(s); p.Kind {
		case PrincipalWebIdentity:
			return nil
		case PrincipalService:
			return checkServiceName(s)
		}
		return fmt.Errorf("%q is not an ARN (arn:partition:service:region:account:resource), a service principal (SERVICE.amazonaws.com) or a web-identity provider AWS names (%s)", s, strings.Join(WebIdentityProviders[:], ", "))
	}
	if parts[1] == "" || parts[2] == "" {
		return fmt.Errorf("%q is not an ARN (arn:partition:service:region:account:resource)", s)
	}
	p := ParsePrincipal(s)
	switch p.Kind {
	case PrincipalUser, PrincipalRole, PrincipalAssumedRole, PrincipalFederatedUser, PrincipalRoot:
	case PrincipalWebIdentity, PrincipalSAML:
		return checkProvider(s, parts, p)
	default:
		return fmt.Errorf("%q is not the ARN of a principal (an IAM user, role, role session, federated user, account root, or an oidc-provider or saml-provider, e.g. arn:aws:iam::123456789012:user/alice)", s)
	}
	switch {
	case !IsAccountID(p.Account):
		return fmt.Errorf("%q: the account %q is not 12 digits", s, p.Account)
	case parts[3] != "":
		return fmt.Errorf("%q: an IAM or STS principal's ARN has no region (arn:aws:iam::ACCOUNT:...)", s)
	case !knownPartition(parts[1]):
		return fmt.Errorf("%q: unknown partition %q (aws, aws-cn, aws-us-gov, ...)", s, parts[1])
	case p.Kind != PrincipalRoot && p.Name == "":
		return fmt.Errorf("%q names no principal after its type", s)
	case p.Kind == PrincipalAssumedRole && strings.Count(parts[5], "/") != 2:
		return fmt.Errorf("%q: a role session is assumed-role/ROLE/SESSION", s)
	}
	if p.Kind != PrincipalRoot {
		_, rest, _ := strings.Cut(parts[5], "/")
		for _, seg := range strings.Split(rest, "/") {
			if seg == "" || strings.IndexFunc(seg, func(r rune) bool { return !nameRune(r) }) >= 0 {
				return fmt.Errorf("%q: the name part holds characters or empty path segments no principal name has (letters, digits and +=,.@_- only)", s)
			}
		}
	}
	return nil
}

// checkServiceName reports what is wrong with s as a service principal's
// name: dot-separated labels of lower-case letters, digits and hyphens
// before .amazonaws.com (service principals are case-sensitive).
func checkServiceName(s string) error {
	host := strings.TrimSuffix(strings.TrimSuffix(s, ".cn"), ".amazonaws.com")
	for _, label := range strings.Split(host, ".") {
		if label == "" || strings.IndexFunc(label, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-')
		}) >= 0 {
			return fmt.Errorf("%q is not a service principal's name (lower-case SERVICE.amazonaws.com, e.g. ec2.amazonaws.com)", s)
		}
	}
	return nil
}

// checkProvider reports what is wrong with an oidc-provider or
// saml-provider ARN as a caller: an IAM ARN of a known partition, no
// region, a 12-digit account; an OIDC provider's host and path in
// non-empty segments without a scheme, blanks or colons; a SAML provider's
// name of letters, digits and ._- (IAM's characters for it).
func checkProvider(s string, parts [6]string, p Principal) error {
	switch {
	case !IsAccountID(parts[4]):
		return fmt.Errorf("%q: the account %q is not 12 digits", s, parts[4])
	case parts[3] != "":
		return fmt.Errorf("%q: an identity provider's ARN has no region (arn:aws:iam::ACCOUNT:...)", s)
	case !knownPartition(parts[1]):
		return fmt.Errorf("%q: unknown partition %q (aws, aws-cn, aws-us-gov, ...)", s, parts[1])
	}
	if p.Kind == PrincipalSAML {
		if strings.IndexFunc(p.Name, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
		}) >= 0 {
			return fmt.Errorf("%q: a SAML provider's name holds letters, digits and ._- only", s)
		}
		return nil
	}
	for _, seg := range strings.Split(p.Name, "/") {
		if seg == "" || strings.IndexFunc(seg, func(r rune) bool { return r <= ' ' || r == ':' || r >= 0x7f }) >= 0 {
			return fmt.Errorf("%q: an OIDC provider is its URL's host and path without https:// (oidc-provider/token.actions.githubusercontent.com), in non-empty segments without blanks or colons", s)
		}
	}
	return nil
}

// nameRune reports whether IAM allows r in a user, role or session name.
func nameRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("+=,.@_-", r)
}

// partitions are AWS's partitions, the second field of every ARN (never
// written: Partitions hands out copies).
var partitions = [...]string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

// Partitions returns AWS's partitions, the second field of every ARN
// ("aws", "aws-cn", "aws-us-gov" and the isolated ones), a new slice each
// call.
func Partitions() []string { return slices.Clone(partitions[:]) }

// knownPartition reports whether p is one of AWS's partitions.
func knownPartition(p string) bool { return slices.Contains(partitions[:], p) }
