package catalog

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/internal/gencache"
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
	className                       // a name that holds no '/' (nameClasses)
)

// nameClasses are the variables of resource types, by their ARN's service
// namespace, whose names hold no '/', as their services' naming rules say:
// so that an entry's '/' is never read as part of such a name
// (table/*/index/* names a DynamoDB index, never a table named
// "/index/..."). A ':' stays allowed: a request for lambda:InvokeFunction
// may name a version or alias after the function's name
// (function:NAME:QUALIFIER), which the catalogue gives the function type.
//   - DynamoDB: "Table names and index names ... a-z, A-Z, 0-9, _
//     (underscore), - (dash), and . (dot)" (DynamoDB naming rules).
//   - SQS: queue names hold "alphanumeric characters, hyphens (-), and
//     underscores (_)" (and .fifo).
//   - SNS: topic names hold "uppercase and lowercase ASCII letters, numbers,
//     underscores, and hyphens" (and .fifo).
//   - Lambda: function names hold letters, numbers, hyphens and
//     underscores, and a version or alias neither holds '/'.
//   - ECS: cluster names hold "up to 255 letters (uppercase and
//     lowercase), numbers, underscores, and hyphens".
//   - Kinesis: stream names hold a-z, A-Z, 0-9, '_', '.' and '-'.
//
// (An IoT topic is an MQTT topic, whose levels '/' separates: not here.)
// fixedVariables are format variables, by their ARN's service namespace,
// that only ever hold one value: a Kinesis consumer's ${StreamType} is
// "stream" (its ARN is stream/NAME/consumer/NAME:TIMESTAMP, Kinesis API
// reference, RegisterStreamConsumer).
var fixedVariables = map[string]map[string]string{
	"kinesis": {"StreamType": "stream"},
}

var nameClasses = map[string]map[string]bool{
	"dynamodb": {"TableName": true, "IndexName": true, "GlobalTableName": true},
	"sqs":      {"QueueName": true},
	"sns":      {"TopicName": true},
	"lambda":   {"FunctionName": true},
	"ecs":      {"ClusterName": true},
	"kinesis":  {"StreamName": true},
}

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
	case className:
		return b != '/'
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
	return appendARN(make([]token, 0, len(arn)), arn)
}

// appendARN appends arn's tokens (compileARN) to out.
func appendARN(out []token, arn string) []token {
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
	// the tokens of a policy's ARN fit on the stack
	var buf [256]token
	return intersects(rt.format, appendARN(buf[:0], arn))
}

// intersects reports whether some string matches both f (a format) and p
// (a policy ARN): a walk over the pairs of positions, O(len(f)·len(p)).
func intersects(f, p []token) bool {
	w := len(p) + 1
	// the table of an ARN of a policy fits on the stack (every cell is
	// cleared before the walk: a larger array costs its clearing)
	var buf [3072]bool
	var reach []bool
	if n := (len(f) + 1) * w; n <= len(buf) {
		reach = buf[:n]
	} else {
		reach = make([]bool, n)
	}
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
// principal and action of an account), and for many others once (a policy
// per user, naming the user's own prefix). It keeps two generations of at
// most maxInstanceCache entries each (gencache.Map), so the entries a run
// keeps asking for stay, however many it asks for once.
type instanceCache struct {
	sync.Mutex
	m *gencache.Map[instanceKey, []string]
	// filled holds the formats compileFilled makes (filledOf), in two
	// generations of maxFilled: a type's format filled with one caller's
	// vars is the same for every entry of every principal
	filled *gencache.Map[filledKey, filled]
}

// filledKey names a compileFilled of a type's format: the vars, as
// varsKey writes them after an empty ARN, literal and the variant.
type filledKey struct {
	rt      *ResourceType
	vars    string
	literal bool
	variant int
}

// maxFilled is how many entries a generation of instanceCache.filled
// holds.
const maxFilled = 4096

// get returns the entry of key, moving it to the newer generation.
func (c *instanceCache) get(key instanceKey) ([]string, bool) {
	c.Lock()
	defer c.Unlock()
	if c.m == nil {
		return nil, false
	}
	return c.m.Get(key)
}

// put adds an entry; c is locked.
func (c *instanceCache) put(key instanceKey, inst []string) {
	if c.m == nil {
		c.m = gencache.New[instanceKey, []string](maxInstanceCache)
	}
	c.m.Put(key, inst)
}

const maxInstanceCache = 1 << 12

type instanceKey struct {
	rt  *ResourceType
	key string
	// avoid is, for InstanceAvoiding, 'A' and its avoided ARNs, each
	// after its length and a colon; "" for Variants
	avoid string
}

// instances returns Variants(arn, vars), from the cache when it can. The
// slice is the cache's: do not modify it.
func (rt *ResourceType) instances(arn string, vars map[string]string) []string {
	return rt.cached(instanceKey{rt, varsKey(arn, vars), ""}, func() []string { return rt.variants(arn, vars) })
}

// varsKey stands for arn and vars in an instanceKey (and vars alone, after
// an empty arn, in a filledKey): distinct arguments, distinct keys.
func varsKey(arn string, vars map[string]string) string {
	names := make([]string, 0, len(vars))
	for k := range vars {
		names = append(names, k)
	}
	sort.Strings(names)
	// each text a part of its own: no bytes of an ARN or a value (a NUL,
	// an '=') make two callers' keys one
	b := gencache.AppendPart(make([]byte, 0, 64+len(arn)), arn)
	for _, k := range names {
		b = gencache.AppendPart(b, k)
		b = gencache.AppendPart(b, vars[k])
	}
	return string(b)
}

// cached returns the cache's instances for key, or makes them.
func (rt *ResourceType) cached(key instanceKey, build func() []string) []string {
	cache := &rt.Service.catalog.instances
	if inst, ok := cache.get(key); ok {
		return inst
	}
	inst := build()
	cache.Lock()
	cache.put(key, inst)
	cache.Unlock()
	return inst
}

// variant is Instance with the variant-th choice of placeholders
// (placeholder); vk is varsKey("", vars).
func (rt *ResourceType) variant(p []token, vars map[string]string, vk string, v int) (string, bool) {
	if s, ok := witness(rt.filledOf(vk, vars, true, v), p); ok {
		return s, true
	}
	// the policy names another value (a region, an account) than vars:
	// vars fill only what the policy leaves open
	return witness(rt.filledOf(vk, vars, false, v), p)
}

// filledOf returns compileFilled(rt.ARN, vars, literal, variant), made
// once for the catalogue (instanceCache.filled); vk is varsKey("", vars).
// The result is shared: it is only read.
func (rt *ResourceType) filledOf(vk string, vars map[string]string, literal bool, variant int) filled {
	cache := &rt.Service.catalog.instances
	key := filledKey{rt, vk, literal, variant}
	cache.Lock()
	if cache.filled == nil {
		cache.filled = gencache.New[filledKey, filled](maxFilled)
	}
	f, ok := cache.filled.Get(key)
	cache.Unlock()
	if ok {
		return f
	}
	f = compileFilled(rt.ARN, vars, literal, variant)
	cache.Lock()
	cache.filled.Put(key, f)
	cache.Unlock()
	return f
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
	vk := varsKey("", vars)
	var out []string
	var tried [placeholderVariants]int
	n := 0
	for v := 0; v < placeholderVariants; v++ {
		if rt.sameVariant(vk, vars, v, tried[:n]) {
			continue // its instance is one of out, made alike
		}
		tried[n] = v
		n++
		s, ok := rt.variant(p, vars, vk, v)
		if !ok {
			return out
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sameVariant reports whether the variant-th choice of placeholders fills
// the type's format with vars as one of the variants tried does, both with
// and without vars written as literal text (filledOf): variant then finds
// the same instance for every policy ARN. Most formats leave no region
// open, or no name, so that three of the six choices, or five, are alike.
// vk is varsKey("", vars).
func (rt *ResourceType) sameVariant(vk string, vars map[string]string, variant int, tried []int) bool {
	for _, t := range tried {
		same := true
		for _, literal := range []bool{true, false} {
			// the tokens are the same for every variant: only the
			// placeholders differ
			if !maps.Equal(rt.filledOf(vk, vars, literal, variant).names, rt.filledOf(vk, vars, literal, t).names) {
				same = false
				break
			}
		}
		if same {
			return true
		}
	}
	return false
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
	// the ARN's service namespace, when the format writes it
	var named map[string]bool
	var fixed map[string]string
	if f := strings.SplitN(format, ":", 4); len(f) == 4 {
		named, fixed = nameClasses[f[2]], fixedVariables[f[2]]
	}
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
		if v, ok := fixed[name]; ok {
			// a variable of one value is that text
			for k := 0; k < len(v); k++ {
				out = append(out, token{kind: tokLiteral, b: v[k]})
			}
			continue
		}
		// a variable's class and role come from its field, whatever its
		// name (${Account}, ${ManagementAccountId} and '*' in the account
		// field are all an account)
		class, role := classAny, ""
		switch {
		case name == "BucketName":
			// a bucket name never holds '/': arn:aws:s3:::bucket/* names
			// objects, never a bucket
			class = classBucket
		case named[name]:
			class = className
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
	if s, ok := witnessOf(ff, p, true); ok {
		return s, true
	}
	return witnessOf(ff, p, false)
}

// witnessOf is witness's walk; strict keeps the ARN's separators where the
// format has them when it can (review 14 T): a '?' of p is no '/' or ':'
// of the format (prod-dat?/* is prod-datx/objectname, not
// prod-dat//objectname), and a ':' or '/' of p no character of a variable
// (the colons of arn:aws:s3:*:*:* are the format's, not part of an access
// point's name; the slash of */* is the one between bucket and key, not
// the first of a key: bucketname/objectname, not bucketname//objectname).
func witnessOf(ff filled, p []token, strict bool) (string, bool) {
	f, names := ff.tokens, ff.names
	w := len(p) + 1
	// steps[cell] is how the walk first reached cell; the walk is run for
	// every instance made, so a step is kept small and the table, for the
	// ARNs of policies, on the stack
	var buf [witnessCells]witnessStep
	var steps []witnessStep
	if n := (len(f) + 1) * w; n <= len(buf) {
		steps = buf[:n]
	} else {
		steps = make([]witnessStep, n)
	}
	// the steps' texts longer than a byte: variables' placeholders
	var long []string
	code := func(emit string) int32 {
		switch len(emit) {
		case 0:
			return -1
		case 1:
			return int32(emit[0])
		}
		k := slices.Index(long, emit)
		if k < 0 {
			k = len(long)
			long = append(long, emit)
		}
		return int32(256 + k)
	}
	steps[0].from = -1
	for i := 0; i <= len(f); i++ {
		for j := 0; j <= len(p); j++ {
			cell := i*w + j
			if steps[cell].from == 0 {
				continue
			}
			moves(f, p, names, i, j, steps[cell].placeholder, strict, oneOf, func(to int, emit string, placeholder bool) {
				if steps[to].from == 0 {
					steps[to] = witnessStep{int32(cell + 1), code(emit), placeholder}
				}
			})
		}
	}
	end := len(f)*w + len(p)
	if steps[end].from == 0 {
		return "", false
	}
	var codes []int32
	n := 0
	for c := end; c > 0; c = int(steps[c].from - 1) {
		e := steps[c].emit
		codes = append(codes, e)
		switch {
		case e >= 256:
			n += len(long[e-256])
		case e >= 0:
			n++
		}
	}
	var b strings.Builder
	b.Grow(n)
	for k := len(codes) - 1; k >= 0; k-- {
		switch e := codes[k]; {
		case e >= 256:
			b.WriteString(long[e-256])
		case e >= 0:
			b.WriteByte(byte(e))
		}
	}
	return b.String(), true
}

// witnessCells is how many cells of witnessOf's walk fit its table on the
// stack: a format and a policy ARN of 48 bytes each.
const witnessCells = 49 * 49

// witnessStep is how witnessOf's walk first reached a cell: from is the
// cell it came from plus one (0: not reached, -1: the start); emit what it
// wrote: -1 nothing, a byte, or 256 plus the index of a longer text;
// placeholder that it wrote a variable's first byte as its placeholder
// under a star.
type witnessStep struct {
	from, emit  int32
	placeholder bool
}

// moves calls move for each step of the walk over a format f and a policy
// ARN p (both as tokens) from cell (i, j), a cell being the pair of
// positions i*(len(p)+1)+j: the cell it reaches, what it writes, and
// whether it writes a variable's first byte as its placeholder under one
// of p's stars. after says the cell was reached by such a step (its
// variable's run then writes no placeholder again); one is what a variable
// writes under p's '?'. strict (witness's first try) leaves out the steps
// that put a '?' of p on a '/' or ':' of f, or a ':' of p in a variable.
// witness and avoiding walk the same steps.
func moves(f, p []token, names map[int]string, i, j int, after, strict bool, one func(charClass) string, move func(to int, emit string, placeholder bool)) {
	w := len(p) + 1
	fi, pj := i < len(f), j < len(p)
	if fi && pj && f[i].kind == tokVarRun && p[j].kind == tokStar && names[i] != "" && !after {
		// a variable's run under a star (an account, or a variable that
		// began with the policy's text): its placeholder, before the empty
		// run below is tried
		move((i+1)*w+j+1, names[i], false) // the star ends with it
		move((i+1)*w+j, names[i], false)
	}
	if fi && f[i].kind == tokVarRun {
		move((i+1)*w+j, "", false)
	}
	if pj && p[j].kind == tokStar {
		move(i*w+j+1, "", false)
	}
	if !fi || !pj {
		return
	}
	a, b := f[i], p[j]
	next := (i+1)*w + j + 1
	if a.kind == tokVarRun {
		next = i*w + j + 1
	}
	switch {
	case a.kind == tokLiteral && b.kind == tokLiteral:
		if a.b == b.b {
			move(next, string([]byte{a.b}), false)
		}
	case a.kind == tokLiteral && b.kind == tokOne:
		if !strict || a.b != '/' && a.b != ':' {
			move(next, string([]byte{a.b}), false)
		}
	case a.kind == tokLiteral && b.kind == tokStar:
		move((i+1)*w+j, string([]byte{a.b}), false) // the star takes the literal
	case b.kind == tokLiteral:
		if a.class.has(b.b) && (!strict || b.b != ':' && b.b != '/') {
			move(next, string([]byte{b.b}), false)
		}
	case b.kind == tokOne:
		move(next, one(a.class), false)
	case b.kind == tokStar && a.kind == tokVarOne:
		// the variable's placeholder, all of it, under the star
		move((i+1)*w+j, names[i], true)
	}
}

// oneOf is a byte of the class, for a '?'.
func oneOf(c charClass) string {
	if c == classAccount {
		return "0"
	}
	return "x"
}

// InstanceAvoiding returns an instance of the type that arn matches and
// that none of avoid (policy ARNs: the Resource entries of narrower
// statements, wildcards kept) matches: a resource of arn that they miss,
// which Variants may hold none of (a Deny on reports/o* matches both
// reports/objectname and reports/other-objectname). Its partition, region
// and account are Instance's; its resource part is Instance's where that
// misses them, else it begins, or is, a byte no entry of avoid names
// ("x", "y", ...): reports/xobjectname misses reports/o*, reports/x misses
// reports/*e*. ok is false when no such instance is found: when every
// resource of arn in that partition, region and account matches one of
// avoid (reports/?*, since a name is never empty), or, rarely, when the
// search is cut short (maxAvoidEntries) or more than maxInvented bytes
// would be needed, or when the walk's instance, which reads a '?' as one
// byte, does not hold as a policy reads it (a '?' is one character:
// matchesAsPolicies). Another region or account is the caller's to try,
// with vars.
//
// It is a search for a string that the type's format, arn and the
// complement of avoid all accept: a walk over the positions of the format
// and arn, as witness's, carrying the set of positions avoid's entries
// can be at (their wildcards make them nondeterministic), so its cost is
// linear in the format and arn times the few sets met. Bytes that no
// entry of avoid names behave alike for all of them, and one of them
// leaves each entry in a subset of the positions any other byte would, so
// one such byte stands for them all.
func (rt *ResourceType) InstanceAvoiding(arn string, vars map[string]string, avoid []string) (string, bool) {
	if slices.Contains(avoid, arn) {
		// every resource arn names, an entry of avoid of the same text
		// names too (both are read by compileARN): none is found, without
		// the walk that would find none (TestInstanceAvoidingItself)
		return "", false
	}
	return rt.instanceAvoiding(arn, vars, avoid)
}

// instanceAvoiding is InstanceAvoiding's walk, its result cached.
func (rt *ResourceType) instanceAvoiding(arn string, vars map[string]string, avoid []string) (string, bool) {
	// each entry a part of its own, after an 'A' (Variants' key has
	// none): no bytes of an entry make two lists' keys one
	ak := []byte{'A'}
	for _, a := range avoid {
		ak = gencache.AppendPart(ak, a)
	}
	key := instanceKey{rt, varsKey(arn, vars), string(ak)}
	out := rt.cached(key, func() []string {
		first := rt.instances(arn, vars)
		if len(first) == 0 {
			return nil
		}
		// the first instance's partition, region and account, as text
		fv := make(map[string]string, len(vars)+3)
		for k, v := range vars {
			fv[k] = v
		}
		if parts := strings.SplitN(first[0], ":", 6); len(parts) == 6 {
			for role, x := range map[string]int{"Partition": 1, "Region": 3, "Account": 4} {
				if parts[x] != "" {
					fv[role] = parts[x]
				}
			}
		}
		if s, ok := avoiding(rt.filledOf(varsKey("", fv), fv, true, 0), compileARN(arn), newAvoidSet(avoid)); ok && matchesAsPolicies(arn, avoid, s) {
			return []string{s}
		}
		return nil
	})
	if len(out) == 0 {
		return "", false
	}
	return out[0], true
}

// matchesAsPolicies reports whether s, a resource the walk built to match
// arn and miss every entry of avoid, does so as a policy's Resource
// matching reads them (condition.CompilePattern: a '?' is one character,
// where the walk takes one byte; they differ on text outside ASCII, where
// a '?' of an avoided entry can match a character of several bytes). An
// entry with a policy variable, which the walk reads as a '*', is left to
// the walk.
func matchesAsPolicies(arn string, avoid []string, s string) bool {
	match := func(pattern string) bool {
		p := condition.CompilePattern(pattern, condition.PatternOptions{Wildcards: true})
		return p.Match(s, false, nil)
	}
	if !strings.Contains(arn, "${") && !match(arn) {
		return false
	}
	for _, a := range avoid {
		if !strings.Contains(a, "${") && match(a) {
			return false
		}
	}
	return true
}

// maxInvented is how many bytes no avoided entry names InstanceAvoiding
// writes at most; maxAvoidEntries bounds its search.
const (
	maxInvented     = 2
	maxAvoidEntries = 1 << 14
)

// avoidSet is the entries InstanceAvoiding avoids, as one nondeterministic
// automaton: position k of entry x is bit off[x]+k of a state, k =
// len(entry) its end.
type avoidSet struct {
	ps  [][]token
	off []int
	n   int
	// fresh is a byte no entry names literally, 0 when every byte
	// InstanceAvoiding would write is named
	fresh byte
}

func newAvoidSet(avoid []string) *avoidSet {
	a := &avoidSet{}
	var named [256]bool
	for _, text := range avoid {
		p := compileARN(text)
		a.ps = append(a.ps, p)
		a.off = append(a.off, a.n)
		a.n += len(p) + 1
		for _, t := range p {
			if t.kind == tokLiteral {
				named[t.b] = true
			}
		}
	}
	// bytes of every variable class of the resource part (classAny,
	// classBucket, className), most plainly invented first
	for _, c := range []byte("xyzqjkwvbcdfghlmnprstaeiou0123456789") {
		if !named[c] {
			a.fresh = c
			break
		}
	}
	return a
}

func (a *avoidSet) has(s []uint64, bit int) bool { return s[bit/64]&(1<<(bit%64)) != 0 }
func (a *avoidSet) set(s []uint64, bit int)      { s[bit/64] |= 1 << (bit % 64) }

// close adds to s the positions a star lets each entry skip to.
func (a *avoidSet) close(s []uint64) {
	for x, p := range a.ps {
		for k := range p {
			if p[k].kind == tokStar && a.has(s, a.off[x]+k) {
				a.set(s, a.off[x]+k+1)
			}
		}
	}
}

// start is the state before any byte.
func (a *avoidSet) start() []uint64 {
	s := make([]uint64, (a.n+63)/64)
	for _, o := range a.off {
		a.set(s, o)
	}
	a.close(s)
	return s
}

// step returns the state after text from s.
func (a *avoidSet) step(s []uint64, text string) []uint64 {
	for i := 0; i < len(text); i++ {
		next := make([]uint64, len(s))
		for x, p := range a.ps {
			for k, t := range p {
				if !a.has(s, a.off[x]+k) {
					continue
				}
				switch {
				case t.kind == tokStar:
					a.set(next, a.off[x]+k)
				case t.kind == tokOne, t.b == text[i]:
					a.set(next, a.off[x]+k+1)
				}
			}
		}
		a.close(next)
		s = next
	}
	return s
}

// accepts reports whether some entry is at its end in s: it matches.
func (a *avoidSet) accepts(s []uint64) bool {
	for x, p := range a.ps {
		if a.has(s, a.off[x]+len(p)) {
			return true
		}
	}
	return false
}

// avoiding is witness for InstanceAvoiding: a string both ff and p match
// and no entry of av does, written as witness writes it where it can,
// with at most maxInvented bytes av.fresh where the format has a variable
// of the resource part under one of p's stars. Of the strings found, it
// is one with the fewest such bytes, witness's order among them.
func avoiding(ff filled, p []token, av *avoidSet) (string, bool) {
	f, names := ff.tokens, ff.names
	w := len(p) + 1
	// the states of av met are numbered, and a state's step by a byte is
	// made once: entries name their state by number
	var states [][]uint64
	stateIDs := map[string]int32{}
	var sk []byte
	intern := func(s []uint64) int32 {
		sk = sk[:0]
		for _, word := range s {
			for k := 0; k < 64; k += 8 {
				sk = append(sk, byte(word>>k))
			}
		}
		if id, ok := stateIDs[string(sk)]; ok {
			return id
		}
		id := int32(len(states))
		states = append(states, s)
		stateIDs[string(sk)] = id
		return id
	}
	type stepKey struct {
		from int32
		b    byte
	}
	steps := map[stepKey]int32{}
	stepBy := func(s int32, text string) int32 {
		for i := 0; i < len(text); i++ {
			k := stepKey{s, text[i]}
			next, ok := steps[k]
			if !ok {
				next = intern(av.step(states[s], text[i:i+1]))
				steps[k] = next
			}
			s = next
		}
		return s
	}
	type entry struct {
		state    int32
		invented uint8
		// placeholder: reached by a variable's first byte written as its
		// placeholder under a star (witness's guard)
		placeholder bool
		from        int32
		emit        string
	}
	all := []entry{{state: intern(av.start()), from: -1}}
	cells := make([][]int32, (len(f)+1)*w)
	cells[0] = []int32{0}
	// the entries of each cell, told apart by state, bytes invented and
	// placeholder (the start is not among them)
	type seenKey struct {
		cell, state int32
		invented    uint8
		placeholder bool
	}
	seen := map[seenKey]bool{}
	full := false
	add := func(to int, from int32, emit string, invented uint8, placeholder bool) {
		if full {
			return
		}
		s := all[from].state
		if emit != "" {
			s = stepBy(s, emit)
		}
		k := seenKey{int32(to), s, invented, placeholder}
		if seen[k] {
			return
		}
		if len(all) >= maxAvoidEntries {
			full = true
			return
		}
		seen[k] = true
		all = append(all, entry{s, invented, placeholder, from, emit})
		cells[to] = append(cells[to], int32(len(all)-1))
	}
	inventable := func(c charClass) bool {
		return av.fresh != 0 && (c == classAny || c == classBucket || c == className)
	}
	one := func(c charClass) string {
		if inventable(c) {
			return string([]byte{av.fresh})
		}
		return oneOf(c)
	}
	for i := 0; i <= len(f); i++ {
		for j := 0; j <= len(p); j++ {
			cell := i*w + j
			for n := 0; n < len(cells[cell]); n++ {
				x := cells[cell][n]
				e := all[x]
				moves(f, p, names, i, j, e.placeholder, false, one, func(to int, emit string, placeholder bool) {
					add(to, x, emit, e.invented, placeholder)
				})
				if i == len(f) || j == len(p) {
					continue
				}
				a, b := f[i], p[j]
				// a byte no entry names, under a star
				if b.kind == tokStar && a.kind != tokLiteral && inventable(a.class) && e.invented < maxInvented {
					to := (i+1)*w + j // the star stays
					if a.kind == tokVarRun {
						to = cell // and the run
					}
					add(to, x, string([]byte{av.fresh}), e.invented+1, false)
				}
			}
		}
	}
	best := int32(-1)
	for _, x := range cells[len(f)*w+len(p)] {
		if e := all[x]; !av.accepts(states[e.state]) && (best < 0 || e.invented < all[best].invented) {
			best = x
		}
	}
	if best < 0 {
		return "", false
	}
	var parts []string
	for x := best; x > 0; x = all[x].from {
		parts = append(parts, all[x].emit)
	}
	var b strings.Builder
	for k := len(parts) - 1; k >= 0; k-- {
		b.WriteString(parts[k])
	}
	return b.String(), true
}

// Vocabulary returns the texts the instances of the action's service's
// resource types are made of, beside a policy's own text. parts are those
// of the resource parts: each format's literal text from its resource part
// on (the colon before it too), and each placeholder a variable there is
// filled with in any variant (Variants: the variable's own name, as any
// text, never a partition's, region's or account's placeholder, but for a
// variable named as a field, whose every class's placeholder is there).
// fields are those of the fields
// before (partition, service, region, account): the format's literal
// fields and every placeholder of every variable. A field is bounded by
// colons, so a text without one is compared with a field only whole, or
// found inside it. regional says a variable of the resource part is named
// as a field (${Region}) and may be filled as one: the caller adds those
// texts to parts.
func (a *Action) Vocabulary() (parts, fields []string, regional bool) {
	add := func(out *[]string, s string) {
		if s != "" && !slices.Contains(*out, s) {
			*out = append(*out, s)
		}
	}
	for _, rt := range a.Service.ResourceTypes {
		format := rt.ARN
		// the resource part begins at the fifth colon
		colons, at := 0, -1
		for i := 0; i < len(format); i++ {
			if format[i] == ':' {
				if colons++; colons == 5 {
					at = i
					break
				}
			}
		}
		head, tail := format, ""
		if at >= 0 {
			head, tail = format[:at], format[at:]
		}
		for _, f := range strings.Split(head, ":") {
			for f != "" {
				i := strings.Index(f, "${")
				if i < 0 {
					add(&fields, f)
					break
				}
				add(&fields, f[:i])
				end := strings.IndexByte(f[i:], '}')
				if end < 0 {
					add(&fields, f[i:])
					break
				}
				name := f[i+2 : i+end]
				for v := 0; v < placeholderVariants; v++ {
					for _, c := range []charClass{classAny, classPartition, classRegion, classAccount} {
						add(&fields, placeholder(name, c, v))
					}
				}
				f = f[i+end+1:]
			}
		}
		for tail != "" {
			i := strings.Index(tail, "${")
			j := strings.IndexByte(tail, '*')
			switch {
			case i < 0 && j < 0:
				add(&parts, tail)
				tail = ""
			case j >= 0 && (i < 0 || j < i):
				add(&parts, tail[:j])
				add(&parts, placeholder("*", classAny, 0))
				add(&parts, placeholder("*", classAny, 3))
				tail = tail[j+1:]
			default:
				add(&parts, tail[:i])
				end := strings.IndexByte(tail[i:], '}')
				if end < 0 {
					add(&parts, tail[i:])
					tail = ""
					continue
				}
				name := tail[i+2 : i+end]
				// a variable of the resource part is anything
				// (compileFilled): its placeholders are classAny's,
				// but for one named as a field, which a value of the
				// field's may fill: every class's then
				classes := []charClass{classAny}
				switch name {
				case "Partition", "Region", "Account":
					regional = true
					classes = []charClass{classAny, classPartition, classRegion, classAccount}
				}
				for v := 0; v < placeholderVariants; v++ {
					for _, c := range classes {
						add(&parts, placeholder(name, c, v))
					}
				}
				tail = tail[i+end+1:]
			}
		}
	}
	return parts, fields, regional
}
