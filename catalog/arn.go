package catalog

import (
	"slices"
	"sort"
	"strings"
	"sync"
)

// token is one element of an ARN format or of a policy's ARN: a literal
// byte; a format variable (${BucketName}), one byte or a run of bytes of its
// class; or a policy wildcard ('*', '?').
type token struct {
	kind  tokenKind
	class charClass
	b     byte
}

type tokenKind uint8

const (
	tokLiteral tokenKind = iota
	tokVarOne            // one byte of the class: a variable is never empty
	tokVarRun            // any run of bytes of the class
	tokStar              // a policy's '*' or ${variable}: any run of bytes
	tokOne               // a policy's '?': one byte
)

// charClass is what a format variable may hold.
type charClass uint8

const (
	classAny       charClass = iota // the resource part: anything
	classField                      // before the resource part: no ':'
	classPartition                  // aws, aws-cn, aws-us-gov: a-z and '-'
	classRegion                     // us-east-1: a-z, 0-9 and '-'
	classAccount                    // 123456789012: digits, or aws
	classBucket                     // an S3 bucket name: a-z, 0-9, '.', '-'
)

func (c charClass) has(b byte) bool {
	switch c {
	case classAny:
		return true
	case classPartition:
		return 'a' <= b && b <= 'z' || b == '-'
	case classRegion:
		return 'a' <= b && b <= 'z' || '0' <= b && b <= '9' || b == '-'
	case classAccount:
		return '0' <= b && b <= '9' || 'a' <= b && b <= 'z'
	case classBucket:
		// "Bucket names can consist only of lowercase letters, numbers,
		// periods (.), and hyphens (-)" (S3 User Guide, bucket naming
		// rules); upper case is kept for buckets of the legacy us-east-1
		// rules, which allowed it, and '_' with them
		return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '.' || b == '-' || b == '_'
	}
	return b != ':'
}

// compileFormat reads an ARN format: "${...}" is a variable, the rest is
// literal. ${Partition}, ${Region} and ${Account} hold what AWS's ARNs hold
// there (so arn:aws:s3:::* names no access point, whose ARNs have a
// region); other variables before the resource part hold anything but ':',
// and those of the resource part anything. ${Account} may also be empty or
// "aws", as it is in the ARNs of what AWS owns: public AMIs and snapshots
// (arn:aws:ec2:us-east-1::image/ami-...), SSM documents and public
// parameters (arn:aws:ssm:us-east-1::document/AWS-RunShellScript), managed
// policies (arn:aws:iam::aws:policy/ReadOnlyAccess).
func compileFormat(format string) []token { return compileFilled(format, nil, false, 0).tokens }

// compileARN reads a policy's ARN: '*' and '?' are wildcards, and a policy
// variable (${aws:username}) stands for any text.
func compileARN(arn string) []token {
	var out []token
	for i := 0; i < len(arn); i++ {
		switch c := arn[i]; {
		case c == '*':
			out = append(out, token{kind: tokStar})
		case c == '?':
			out = append(out, token{kind: tokOne})
		case c == '$' && i+1 < len(arn) && arn[i+1] == '{':
			if end := strings.IndexByte(arn[i:], '}'); end > 0 {
				out = append(out, token{kind: tokStar})
				i += end
				continue
			}
			out = append(out, token{kind: tokLiteral, b: c})
		default:
			out = append(out, token{kind: tokLiteral, b: c})
		}
	}
	return out
}

// Matches reports whether the type's ARN format and arn can name the same
// resource: whether some ARN fits both the format (whose variables stand for
// any text, without ':' before the resource part) and arn (whose '*', '?'
// and policy variables are wildcards). It is lenient by design: the lint
// rules built on it flag only what can never match.
func (rt *ResourceType) Matches(arn string) bool {
	return intersects(rt.format, compileARN(arn))
}

// intersects reports whether some string matches both f (a format) and p
// (a policy ARN): a walk over the pairs of positions, O(len(f)·len(p)).
func intersects(f, p []token) bool {
	w := len(p) + 1
	reach := make([]bool, (len(f)+1)*w)
	reach[0] = true
	for i := 0; i <= len(f); i++ {
		for j := 0; j <= len(p); j++ {
			if !reach[i*w+j] {
				continue
			}
			fi, pj := i < len(f), j < len(p)
			// moves that consume nothing: a run or a star matches the
			// empty string
			if fi && f[i].kind == tokVarRun {
				reach[(i+1)*w+j] = true
			}
			if pj && p[j].kind == tokStar {
				reach[i*w+j+1] = true
			}
			if !fi || !pj {
				continue
			}
			// moves that consume one byte both sides accept
			a, b := f[i], p[j]
			next := (i+1)*w + j + 1 // both move on
			if a.kind == tokVarRun {
				next = i*w + j + 1 // the run stays
			}
			switch {
			case a.kind == tokLiteral && b.kind == tokLiteral:
				if a.b == b.b {
					reach[next] = true
				}
			case a.kind == tokLiteral && b.kind == tokOne:
				reach[next] = true
			case a.kind == tokLiteral && b.kind == tokStar:
				reach[(i+1)*w+j] = true // the star takes the literal
			case b.kind == tokLiteral: // a variable takes the byte
				if a.class.has(b.b) {
					reach[next] = true
				}
			case b.kind == tokOne:
				reach[next] = true
			case b.kind == tokStar && a.kind == tokVarOne:
				reach[(i+1)*w+j] = true // the star and the variable share a byte
			}
		}
	}
	return reach[len(f)*w+len(p)]
}

// Instance returns an ARN of the resource type that arn (a policy's
// Resource entry, which may hold wildcards and policy variables) also
// matches: a concrete resource to decide a request on. The format's
// variables take their value from vars (by name: "Partition", "Region",
// "Account", "BucketName", ...) where that fits, else the policy's literal
// text where it gives one, else the variable's own name in lower case
// ("bucketname"), so that an instantiated part is plain to see. ok is false
// when no ARN fits both.
func (rt *ResourceType) Instance(arn string, vars map[string]string) (string, bool) {
	inst := rt.instances(arn, vars)
	if len(inst) == 0 {
		return "", false
	}
	return inst[0], true
}

// instanceCache holds the Variants of a type for an ARN and vars: they are
// a function of them, and a run asks for the same few many times (for each
// principal and action of an account). It holds at most maxInstanceCache
// entries; past that, instances are made each time.
type instanceCache struct {
	sync.Mutex
	m map[instanceKey][]string
}

const maxInstanceCache = 1 << 16

type instanceKey struct {
	rt  *ResourceType
	key string
}

// instances returns Variants(arn, vars), from the cache when it can. The
// slice is the cache's: do not modify it.
func (rt *ResourceType) instances(arn string, vars map[string]string) []string {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(arn)
	for _, k := range names {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(vars[k])
	}
	key := instanceKey{rt, b.String()}
	cache := &rt.Service.catalog.instances
	cache.Lock()
	inst, ok := cache.m[key]
	cache.Unlock()
	if ok {
		return inst
	}
	inst = rt.variants(arn, vars)
	cache.Lock()
	if cache.m == nil {
		cache.m = map[instanceKey][]string{}
	}
	if len(cache.m) < maxInstanceCache {
		cache.m[key] = inst
	}
	cache.Unlock()
	return inst
}

// variant is Instance with the variant-th choice of placeholders
// (placeholder).
func (rt *ResourceType) variant(p []token, vars map[string]string, v int) (string, bool) {
	if s, ok := witness(compileFilled(rt.ARN, vars, true, v), p); ok {
		return s, true
	}
	// the policy names another value (a region, an account) than vars:
	// vars fill only what the policy leaves open
	return witness(compileFilled(rt.ARN, vars, false, v), p)
}

// Variants returns the distinct instances of the type that arn also
// matches, as Instance makes them, with each of a few choices of what fills
// the parts arn leaves open: the region us-east-1, eu-west-1 or
// ap-southeast-2, a name as the variable's own ("objectname") or another
// ("other-objectname"). One instance stands for all the resources arn
// covers only when no narrower statement tells them apart; a caller looking
// for the resources a narrower statement (a Deny on one region, on
// bucket/obj*) misses picks among these. The first is Instance's.
func (rt *ResourceType) Variants(arn string, vars map[string]string) []string {
	return slices.Clone(rt.instances(arn, vars))
}

// variants is Variants, made.
func (rt *ResourceType) variants(arn string, vars map[string]string) []string {
	p := compileARN(arn)
	var out []string
	for v := 0; v < placeholderVariants; v++ {
		s, ok := rt.variant(p, vars, v)
		if !ok {
			return out
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// filled is a format compiled for Instance: its tokens, and for each
// variable token the text it stands for when nothing else fills it.
type filled struct {
	tokens []token
	names  map[int]string
}

// compileFilled is compileFormat for Instance: with literal, the variables
// vars gives are written as literal text; otherwise they stay variables
// whose text, where the policy leaves them open, is vars'.
func compileFilled(format string, vars map[string]string, literal bool, variant int) filled {
	var out []token
	names := map[int]string{}
	colons := 0
	for i := 0; i < len(format); i++ {
		name := ""
		switch {
		case format[i] == '$' && i+1 < len(format) && format[i+1] == '{' && strings.IndexByte(format[i:], '}') > 0:
			end := strings.IndexByte(format[i:], '}')
			name = format[i+2 : i+end]
			i += end
		case format[i] == '*':
			// AWS writes a few formats with a '*' for any value
			// (arn:${Partition}:${Vendor}:${Region}:*:...)
			name = "*"
		default:
			if format[i] == ':' {
				colons++
			}
			out = append(out, token{kind: tokLiteral, b: format[i]})
			continue
		}
		// a variable's class and role come from its field, whatever its
		// name (${Account}, ${ManagementAccountId} and '*' in the account
		// field are all an account)
		class, role := classAny, ""
		if name == "BucketName" {
			// a bucket name never holds '/': arn:aws:s3:::bucket/* names
			// objects, never a bucket
			class = classBucket
		}
		switch colons {
		case 1:
			class, role = classPartition, "Partition"
		case 2:
			class = classField
		case 3:
			class, role = classRegion, "Region"
		case 4:
			class, role = classAccount, "Account"
		}
		value := vars[name]
		if value == "" && role != "" {
			value = vars[role]
		}
		if value != "" && literal {
			for k := 0; k < len(value); k++ {
				out = append(out, token{kind: tokLiteral, b: value[k]})
			}
			continue
		}
		names[len(out)] = placeholder(name, class, variant)
		if value != "" {
			names[len(out)] = value
		}
		if class != classAccount {
			// a variable is never empty, but an account may be (what
			// AWS owns: see compileFormat)
			out = append(out, token{kind: tokVarOne, class: class})
			// the run too: a variable that begins with the policy's
			// text and ends under a star (bucket/home/* for an object
			// name) ends with its placeholder
			names[len(out)] = names[len(out)-1]
		}
		out = append(out, token{kind: tokVarRun, class: class})
	}
	return filled{out, names}
}

// placeholderVariants is how many choices of placeholders Variants tries.
const placeholderVariants = 6

// placeholderRegion is the region the variant-th choice fills an open
// region with.
func placeholderRegion(variant int) string {
	switch variant % 3 {
	case 1:
		return "eu-west-1"
	case 2:
		return "ap-southeast-2"
	}
	return "us-east-1"
}

// placeholder is the text a variable stands for when nothing fills it, in
// the variant-th choice: a partition "aws", a region (placeholderRegion),
// an account "123456789012", anything else the variable's name in lower
// case, or from the third variant on "other-" and the name.
func placeholder(name string, class charClass, variant int) string {
	switch class {
	case classPartition:
		return "aws"
	case classRegion:
		return placeholderRegion(variant)
	case classAccount:
		return "123456789012"
	}
	if name == "*" {
		name = "any"
	}
	if variant >= 3 {
		return "other-" + strings.ToLower(name)
	}
	return strings.ToLower(name)
}

// witness finds a string both f and p match, as intersects does, and
// writes it: the policy's literal bytes where it has them, a variable's
// placeholder where a star lets it be anything, 'x' for a '?'.
func witness(ff filled, p []token) (string, bool) {
	f, names := ff.tokens, ff.names
	w := len(p) + 1
	type step struct {
		from int    // the cell this one was reached from, -1 for the start
		emit string // what the step writes
	}
	steps := make([]step, (len(f)+1)*w)
	seen := make([]bool, (len(f)+1)*w)
	seen[0] = true
	steps[0].from = -1
	reach := func(to, from int, emit string) {
		if !seen[to] {
			seen[to] = true
			steps[to] = step{from, emit}
		}
	}
	for i := 0; i <= len(f); i++ {
		for j := 0; j <= len(p); j++ {
			cell := i*w + j
			if !seen[cell] {
				continue
			}
			fi, pj := i < len(f), j < len(p)
			// (not when the variable's first byte was its placeholder under
			// this star already)
			if fi && pj && f[i].kind == tokVarRun && p[j].kind == tokStar && names[i] != "" &&
				!(i > 0 && f[i-1].kind == tokVarOne && steps[cell].from == (i-1)*w+j) {
				// an account under a star: its placeholder, before the
				// empty account below is tried
				reach((i+1)*w+j+1, cell, names[i]) // the star ends with it
				reach((i+1)*w+j, cell, names[i])
			}
			if fi && f[i].kind == tokVarRun {
				reach((i+1)*w+j, cell, "")
			}
			if pj && p[j].kind == tokStar {
				reach(i*w+j+1, cell, "")
			}
			if !fi || !pj {
				continue
			}
			a, b := f[i], p[j]
			next := (i+1)*w + j + 1
			if a.kind == tokVarRun {
				next = i*w + j + 1
			}
			switch {
			case a.kind == tokLiteral && b.kind == tokLiteral:
				if a.b == b.b {
					reach(next, cell, string([]byte{a.b}))
				}
			case a.kind == tokLiteral && (b.kind == tokOne || b.kind == tokStar):
				if b.kind == tokOne {
					reach(next, cell, string([]byte{a.b}))
				} else {
					reach((i+1)*w+j, cell, string([]byte{a.b}))
				}
			case b.kind == tokLiteral:
				if a.class.has(b.b) {
					reach(next, cell, string([]byte{b.b}))
				}
			case b.kind == tokOne:
				reach(next, cell, oneOf(a.class))
			case b.kind == tokStar && a.kind == tokVarOne:
				// the variable's placeholder, all of it, under the star
				reach((i+1)*w+j, cell, names[i])
			}
		}
	}
	end := len(f)*w + len(p)
	if !seen[end] {
		return "", false
	}
	var parts []string
	for c := end; c > 0; c = steps[c].from {
		parts = append(parts, steps[c].emit)
	}
	var b strings.Builder
	for k := len(parts) - 1; k >= 0; k-- {
		b.WriteString(parts[k])
	}
	return b.String(), true
}

// oneOf is a byte of the class, for a '?'.
func oneOf(c charClass) string {
	if c == classAccount {
		return "0"
	}
	return "x"
}
