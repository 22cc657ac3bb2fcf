package account

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/internal/gencache"
	"github.com/iameval/iameval/internal/keyhash"
	"github.com/iameval/iameval/mfa"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/request"
	"github.com/tidwall/gjson"
)

// Equivalence classes of requests.
//
// Thousands of users hold the same managed policies through the same
// groups, and copies of the same inline policies; for any one action only
// the few statements whose Action matches it bear on the decision. Two
// principals whose live requests for an action are decided by the same
// statements, under the same rules, on the same values of the keys those
// statements read, get the same answers but for the names of their own
// copies of the policies: their requests are decided once, and the
// answer is carried over (Slots.Map).
//
// A class key (Classifier.Class) holds everything an analysis of a live
// request for the action reads:
//
//   - the caller's kind and account (which keys a live request lacks,
//     and the account a wildcard account in a Resource entry renders to);
//   - the engine's shape (evaluator.Engine.AppendShape: the policy kinds
//     and organization levels it holds) and the aws:MultiFactorAuthAge
//     thresholds of all its statements (mfa.Thresholds: the MFA ages
//     decided);
//   - the footprint's policies in order, each by its type and level,
//     with the indexes of its statements that match the action, each by
//     its content (the document's Version and the statement's text, so
//     the statement of two copies of a policy, or of two documents that
//     differ only in statements that do not match the action, is one:
//     nothing else of the document is read for the action); by identity
//     instead when two of them share a name, type and level, which
//     Slots.Map could not tell apart;
//   - every key those statements reference, in the engine's order
//     (evaluator.Engine.Keys) and as the engine spells it (the spelling
//     first met, maybe in another statement): MissingContextValues
//     reports the missing keys of the footprint's statements so, and no
//     other key is read for the action; and whether the principal's live
//     request carries it and with which type and values, and whether the
//     principal never carries it (Principal.Lacks).
//
// The request's resource, the keys the MFA analysis sets and the options'
// context are the same for every principal and so are not in the key.
type Classifier struct {
	an     *Analyzer
	p      *Principal
	e      *evaluator.Engine
	req    *request.Context
	prefix []byte
	pols   []evaluator.CompiledPolicy
	values map[int]string
	fp     evaluator.Footprint
	// fpAction is the action fp is the footprint of, when fpMade
	fpAction string
	fpMade   bool
	// fps are the footprints made for p, fpIdx their places by action:
	// fp is one of them (its slices theirs, never appended to), so that
	// an action asked for again (SharedClass, then Class) is not walked
	// again; fps' rooms are reused for the next principal
	fps   []evaluator.Footprint
	fpIdx map[string]int
	buf   []byte
	// stmtIDs are the numbers of each policy's statements by content
	// (statementIDs), indexed as pols, filled when first needed; rowIDs
	// the same by content but for the resource (rowStatementIDs)
	stmtIDs [][]uint32
	rowIDs  [][]uint32
	// rowMentions are rowStatementMentions of each policy, indexed as
	// pols, filled when first needed
	rowMentions [][]uint8
	// alone says the last class made names a statement only p holds
	alone bool
	// keep is RowClass's: which statements of the footprint its key names;
	// rowSlots the room of the slots it returns
	keep     []bool
	rowSlots Slots
	// tbuf is TemplateClass's key; tstmts its statements' templates for
	// p (statementTemplate), vocab its last verdict on a vocabulary
	tbuf   []byte
	sbuf   []byte
	tstmts map[*policy.Statement]*stmtTemplate
	vocab  vocabVerdict
	// acts is PrincipalTemplates.Key's room for what each action's
	// statements read, keys and naming for the condition keys they read
	// and those that name the user
	acts   []actionLiterals
	keys   []string
	naming map[string]bool
}

// Slots are the policies of an engine that hold a statement of an
// action's footprint, in engine order.
type Slots []evaluator.CompiledPolicy

// Classifier returns the classifier of p's requests decided by e, p's
// engine (Engine(p, nil)). It is not safe for concurrent use.
func (an *Analyzer) Classifier(p *Principal, e *evaluator.Engine) *Classifier {
	return an.ClassifierIn(nil, p, e)
}

// ClassifierIn is Classifier made in c's room, c's classes done with (nil
// makes one): a worker that analyses one principal after another makes
// one classifier's room once. The slots Class and SharedClass returned
// before stay valid; their keys and RowClass's slots, valid until the next
// call, do not.
func (an *Analyzer) ClassifierIn(c *Classifier, p *Principal, e *evaluator.Engine) *Classifier {
	if c == nil {
		c = &Classifier{values: map[int]string{}}
	}
	*c = Classifier{an: an, p: p, e: e, req: an.LiveRequestIn(c.req, p, "", ""), pols: c.pols[:0], values: c.values,
		fps: c.fps, fpIdx: c.fpIdx, buf: c.buf[:0],
		stmtIDs: c.stmtIDs[:0], rowIDs: c.rowIDs[:0], rowMentions: c.rowMentions[:0], keep: c.keep[:0], rowSlots: c.rowSlots[:0], prefix: c.prefix[:0], tbuf: c.tbuf[:0], sbuf: c.sbuf[:0], tstmts: c.tstmts}
	clear(c.values)
	if c.fpIdx == nil {
		c.fpIdx = map[string]int{}
	}
	clear(c.fpIdx)
	if c.tstmts == nil {
		c.tstmts = map[*policy.Statement]*stmtTemplate{}
	}
	clear(c.tstmts)
	for i := range e.NumPolicies() {
		c.pols = append(c.pols, e.Policy(i))
	}
	// every policy's numbers are looked up when first needed
	for range c.pols {
		c.stmtIDs = append(c.stmtIDs, nil)
		c.rowIDs = append(c.rowIDs, nil)
		c.rowMentions = append(c.rowMentions, nil)
	}
	caller := request.ParsePrincipal(p.Caller)
	c.prefix = append(c.prefix, byte(p.Kind), byte(caller.Kind))
	c.prefix = append(c.prefix, caller.Partition...)
	c.prefix = append(c.prefix, ':')
	c.prefix = append(c.prefix, caller.Account...)
	c.prefix = append(c.prefix, 0)
	c.prefix = e.AppendShape(c.prefix)
	c.prefix = append(c.prefix, 0)
	for _, t := range mfa.Thresholds(e) {
		c.prefix = strconv.AppendFloat(c.prefix, t, 'g', -1, 64)
		c.prefix = append(c.prefix, 1)
	}
	c.prefix = append(c.prefix, 0)
	// the prefix is the same for many principals: a number stands for it
	id := an.intern(c.prefix)
	c.prefix = strconv.AppendUint(c.prefix[:0], uint64(id), 10)
	c.prefix = append(c.prefix, 0)
	return c
}

// Class returns the class key of p's live requests for action and the
// slots of the footprint. The key is valid until the next call.
func (c *Classifier) Class(action string) (key []byte, slots Slots) {
	return c.class(action, false)
}

// SharedClass is Class for the answers an action shares with every other
// action whose footprint is the same statements (evaluator.Footprint) and
// that evaluator.ActionSpecific does not set apart, when every statement of
// the footprint names the resource "*" (ResourceFree): a request for any of
// them, on any resource of the caller's account, is decided alike but for
// the action's and the resource's names. The key does not name the action.
func (c *Classifier) SharedClass(action string) (key []byte, slots Slots) {
	return c.class(action, true)
}

// OnlyMember reports whether p is the only principal of the account whose
// requests can fall in the class the last Class, SharedClass or RowClass
// call made: its footprint holds a statement (by content, as the key
// numbers them) that no other principal's identity policies or boundary
// hold, such as a user's own inline policy naming its home prefix; or it
// reads a key whose value names p alone, which p's requests carry
// (aws:username, aws:userid, aws:PrincipalArn). Nobody else can be
// in the class, so a caller that keeps each class's answer for the other
// members need not keep this one.
func (c *Classifier) OnlyMember() bool { return c.alone }

// ResourceFree reports whether the footprint of the last Class or
// SharedClass call leaves the resource out of every decision: p's engine
// holds no resource-based policy (whose Principal and rules read the
// resource's owner), and every statement of the footprint has a Resource
// element (not NotResource) whose entries are all "*". A request's resource
// then bears on its decision only through the account that owns it
// (cross-account requests are decided otherwise), which callers compare.
func (c *Classifier) ResourceFree() bool { return c.e.ResourceFree(&c.fp) }

// ResourceFreeFor is ResourceFree of action's footprint, made without a
// class key: a caller that wants SharedClass's key only for a footprint
// that is resource-free asks this first.
func (c *Classifier) ResourceFreeFor(action string) bool {
	c.footprint(action)
	return c.ResourceFree()
}

// RowClass is Class for one request, req, a live request of p for an
// action on one resource (req.Resource): of the action's footprint, its
// key names only the statements that can apply to it. A statement whose
// Resource or NotResource element, without policy variables, leaves req's
// resource out (evaluator.ResourceMismatch) applies to no request of p for
// that resource, whatever its MFA keys, and decides none of them (one with
// a variable is kept: its match may change with the keys the analysis
// sets, ${aws:MultiFactorAuthPresent} say): principals whose policies
// differ only in such statements (a home prefix of their own, for a
// request on a team's bucket) share the class.
//
// A statement whose variables name only keys the analysis does not set
// (the MFA keys: isMFAKey) resolves them alike in every request of the
// analysis, so it matches req's resource in all of them or in none: one
// that matches is kept as one without variables is, and one that does not
// is left out too when req carries every key its variables name (a key a
// request lacks is one mfa.DependsOn may name, when the Resource entry
// could match with it). A statement with a variable of an MFA key, or of a
// key req lacks that does not match, is kept, and the key then names the
// resource.
//
// Otherwise every statement kept lets req's resource in, and the decision
// reads nothing else of the resource but the account that owns it
// (evaluator.Engine.ResourceAccount): the key names that account rather
// than the resource, and each statement kept by its content but for its
// Resource and NotResource elements (rowStatementIDs). The value of a key
// that names the principal (namesPrincipal) is then left out, but for
// whether req carries it and its type, when no statement kept may read it
// but through its Resource's variables (mentionsOf), whose match the key
// holds. Requests on resources that the same statements let in, in the
// same account, share the class: each user's request on their own home
// prefix, whose Resource names it (arn:aws:s3:::home/alice/*) or reads it
// (arn:aws:iam::*:user/${aws:username}), beside the same Deny statements.
// The answer of such a class is the answer for the resource it was found
// for: a caller carrying it over to another request names that request's
// resource instead.
//
// Every key the footprint reads is still in the key, as Class has it (the
// keys a result depends on keep the engine's order). OnlyMember and the
// slots are those of the statements the key names. The slots are valid
// until the next RowClass call (made in the classifier's room: an
// analysis asks for thousands of rows and keeps the slots of few); copy
// them to keep them.
func (c *Classifier) RowClass(req *request.Context) (key []byte, slots Slots) {
	c.footprint(req.Action)
	// a statement is left out where its trace would say ResourceMismatch
	// (evaluator.Engine.AppendResourceMatches), unless a policy variable
	// of its Resource or NotResource may change that
	c.keep = c.e.AppendResourceMatches(c.keep[:0], &c.fp, req)
	byContent := true
	for i, ref := range c.fp.Statements {
		st := c.pols[ref.Policy].Policy.Statements[ref.Statement]
		if st.Resource == nil {
			c.keep[i] = true
			continue
		}
		if !hasVariable(st.Resource) {
			continue
		}
		// a variable of a key the analysis does not set (the MFA keys)
		// resolves alike in every request of it: the statement matches
		// as it does here
		varies, carried := c.e.ResourceVariables(ref, req, isMFAKey)
		switch {
		case varies:
			c.keep[i], byContent = true, false
		case c.keep[i]:
			// it lets the resource in, as one without variables
		case carried:
			// it lets no request of the analysis in, and names no key a
			// request lacks (mfa.DependsOn reads the Resource entries of
			// a statement that does not match only for those)
		default:
			c.keep[i], byContent = true, false
		}
	}
	if !byContent {
		return c.key(req.Action, false, rowByResource, req.Resource, c.keep)
	}
	return c.key(req.Action, false, rowByContent, c.e.ResourceAccount(req), c.keep)
}

// rowKey says how a key names a row (RowClass): not at all (a class of
// every request for the action), by its resource, or by the account
// that owns it (the statements kept then by content but for their
// resource).
type rowKey uint8

const (
	rowNone rowKey = iota
	rowByResource
	rowByContent
)

// isMFAKey reports whether key is one the MFA analysis sets in each of
// its requests (request.Context.SetSessionWithMFA and the others):
// aws:MultiFactorAuthPresent or aws:MultiFactorAuthAge.
func isMFAKey(key string) bool {
	return strings.EqualFold(key, request.KeyMultiFactorAuthPresent) || strings.EqualFold(key, request.KeyMultiFactorAuthAge)
}

// hasVariable reports whether some entry of l holds a policy variable
// ("${"), which a request's keys resolve.
func hasVariable(l *policy.List) bool {
	for _, v := range l.Values {
		if strings.Contains(v.Text, "${") {
			return true
		}
	}
	return false
}

// Footprint returns the footprint of action in the engine c classifies
// the requests of (evaluator.Engine.AppendFootprint), the one Class,
// SharedClass and RowClass read for it, made once for all their calls
// for the action. It is c's: valid until a call for another action.
func (c *Classifier) Footprint(action string) *evaluator.Footprint {
	c.footprint(action)
	return &c.fp
}

// Engine returns the engine c classifies the requests of.
func (c *Classifier) Engine() *evaluator.Engine { return c.e }

// footprint makes c.fp the footprint of action, unless it is already:
// the rows of one action (RowClass) share it, and it is made once for p
// (a footprint is a function of the engine and the action alone).
func (c *Classifier) footprint(action string) {
	if c.fpMade && c.fpAction == action {
		return
	}
	i, ok := c.fpIdx[action]
	if !ok {
		i = len(c.fpIdx)
		if i == len(c.fps) {
			c.fps = append(c.fps, evaluator.Footprint{})
		}
		c.e.AppendFootprint(&c.fps[i], action)
		c.fpIdx[action] = i
	}
	c.fp, c.fpAction, c.fpMade = c.fps[i], action, true
}

func (c *Classifier) class(action string, shared bool) (key []byte, slots Slots) {
	c.footprint(action)
	return c.key(action, shared, rowNone, "", nil)
}

// key is the class key of the footprint c.fp, of action (or shared), and,
// for a row (RowClass), of resource (by rowKey: the resource, or the
// account that owns it) and only the statements keep says.
func (c *Classifier) key(action string, shared bool, rk rowKey, resource string, keep []bool) (key []byte, slots Slots) {
	row := rk != rowNone
	b := append(c.buf[:0], c.prefix...)
	if shared {
		b = append(b, 1) // no action's name holds a control character
	} else {
		b = append(b, action...)
	}
	b = append(b, 0)
	if row {
		// a row's resource, marked by a 3, or the account that owns it,
		// marked by a 4, which no class key has there; each text after
		// its length, so that no bytes of it end it early
		b = append(b, 2+byte(rk))
		b = gencache.AppendPart(b, resource)
	}
	// the footprint's policies, in order, in a slice made at its length
	n, last := 0, -1
	for i, ref := range c.fp.Statements {
		if (!row || keep[i]) && ref.Policy != last {
			last = ref.Policy
			n++
		}
	}
	switch {
	case row:
		// RowClass's: valid until its next call
		slots = c.rowSlots[:0]
	case n > 0:
		slots = make(Slots, 0, n)
	}
	last = -1
	for i, ref := range c.fp.Statements {
		if row && !keep[i] {
			continue
		}
		if ref.Policy != last {
			last = ref.Policy
			slots = append(slots, c.pols[ref.Policy])
		}
	}
	byIdentity := duplicateNames(slots)
	last = -1
	var ids []uint32
	// the principal's own keys the statements named may read, by their
	// content but for the resource (rowByContent)
	var mentions []uint8
	var mentioned uint8
	c.alone = false
	numbers, room := c.an.statementIDs, c.stmtIDs
	held := c.an.statementHolders()
	if rk == rowByContent {
		numbers, room = c.an.rowStatementIDs, c.rowIDs
		held = c.an.rowHolders()
	}
	for i, ref := range c.fp.Statements {
		if row && !keep[i] {
			continue
		}
		if ref.Policy != last {
			last = ref.Policy
			cp := c.pols[ref.Policy]
			b = append(b, 2, byte(cp.Type))
			b = strconv.AppendInt(b, int64(cp.Level), 10)
			b = append(b, ':')
			if byIdentity {
				b = append(b, 'p')
				b = strconv.AppendUint(b, uint64(c.an.policyID(cp.Policy)), 10)
			}
			ids = room[ref.Policy]
			if ids == nil {
				ids = numbers(cp.Policy)
				room[ref.Policy] = ids
			}
			if rk == rowByContent {
				mentions = c.rowMentions[ref.Policy]
				if mentions == nil {
					mentions = c.an.rowStatementMentions(cp.Policy)
					c.rowMentions[ref.Policy] = mentions
				}
			}
		}
		if rk == rowByContent {
			mentioned |= mentions[ref.Statement]
		}
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(ref.Statement), 10)
		b = append(b, '=')
		id := ids[ref.Statement]
		b = strconv.AppendUint(b, uint64(id), 10)
		if int(id) < len(held) && held[id] == 1 {
			c.alone = true
		}
	}
	b = append(b, 0)
	for _, id := range c.fp.KeyIDs {
		v, ok := c.values[id]
		if !ok {
			v = c.value(c.e.Keys()[id])
			c.values[id] = v
		}
		name := c.e.Keys()[id]
		b = append(b, name...)
		b = append(b, '=')
		if rk == rowByContent && v != "-" && v != "L-" {
			if m := principalKeyMention(name); m != 0 && mentioned&(m|mentionUnsure) == 0 {
				// no statement named reads the value but through a
				// Resource variable, and those let the resource in
				// (RowClass): whether the request carries it, and its
				// type, are what its decisions read
				typ, _, _ := strings.Cut(v, "\x01")
				b = append(b, typ...)
				b = append(b, 2, 0)
				continue
			}
		}
		b = append(b, v...)
		b = append(b, 0)
		if v != "-" && v != "L-" && namesPrincipal(name) {
			c.alone = true
		}
	}
	c.buf = b
	if row {
		c.rowSlots = slots
	}
	return b, slots
}

// namesPrincipal reports whether key's value in a live request names the
// principal alone, no other of its account: aws:username (IAM: user names
// are unique within an account), aws:userid (a unique ID) and
// aws:PrincipalArn. A class key that holds the value of one of them has
// no other member.
func namesPrincipal(key string) bool {
	return strings.EqualFold(key, "aws:username") || strings.EqualFold(key, "aws:userid") || strings.EqualFold(key, "aws:PrincipalArn")
}

// value encodes what p's live requests carry of key (keyValue).
func (c *Classifier) value(key string) string { return keyValue(c.p, c.req, key) }

// keyValue encodes what p's live requests, such as req (Analyzer.LiveRequest
// of p), carry of key: whether p never has it (Principal.Lacks), its type
// and its values.
func keyValue(p *Principal, req *request.Context, key string) string {
	var b strings.Builder
	if p.Lacks(key) {
		b.WriteByte('L')
	}
	k, ok := req.Lookup(key)
	if !ok {
		b.WriteByte('-')
		return b.String()
	}
	b.WriteString(strconv.Itoa(int(k.Type)))
	for _, v := range k.Values {
		b.WriteByte(1)
		b.WriteString(strconv.Quote(v.String()))
	}
	return b.String()
}

// duplicateNames reports whether two slots share a name, type and level.
func duplicateNames(slots Slots) bool {
	for i := range slots {
		for j := i + 1; j < len(slots); j++ {
			if sameName(slots[i], slots[j]) {
				return true
			}
		}
	}
	return false
}

// sameName reports whether a and b have the same name, type and level,
// which Slots.Map tells policies apart by.
func sameName(a, b evaluator.CompiledPolicy) bool {
	return a.Policy.Name == b.Policy.Name && a.Type == b.Type && a.Level == b.Level
}

// HeldByMany reports whether d is a policy of an engine of the analyzer
// that is not one principal's alone: a group's, a managed policy attached
// to several, an SCP or RCP. A caller that reads each principal's policies
// may read such a policy once for all.
func (an *Analyzer) HeldByMany(d *policy.Policy) bool {
	return an.holdersOf(d) != 1
}

// holdersOf returns how many principals hold d in their identity policies
// and boundary (0 for a policy of no principal's set).
func (an *Analyzer) holdersOf(d *policy.Policy) int32 {
	if d == nil {
		return 0
	}
	if n, ok := an.policyHolders[d]; ok {
		return n
	}
	if an.ownByName(d) {
		return 1
	}
	return 0
}

// ownByName reports whether d is a policy addOwn recorded: one principal
// holds it, and no other policy the analyzer reads has its name.
func (an *Analyzer) ownByName(d *policy.Policy) bool {
	v, ok := an.ownPolicies[d.Name]
	return ok && v&^ownInItsText == bracesOf(d) && d.Filename() == an.ownFile(d, v)
}

// addOwn records d, a policy one principal holds whose name no other such
// policy has, by its name, braces (bracesOf) and file: the dump's or, for
// a document the dump gives URL-encoded, its own text, named as the
// policy is (ownInItsText). It reports false when it cannot: d's braces
// do not pack, or d is in a file other than the others'.
func (an *Analyzer) addOwn(d *policy.Policy) bool {
	braces := bracesOf(d)
	switch {
	case braces == noBraces:
		return false
	case d.Filename() == d.Name:
		an.ownPolicies[d.Name] = braces | ownInItsText
	case an.dumpFile == "" || d.Filename() == an.dumpFile:
		an.dumpFile = d.Filename()
		an.ownPolicies[d.Name] = braces
	default:
		return false
	}
	return true
}

// ownFile is the file the policy recorded as v (addOwn) is in.
func (an *Analyzer) ownFile(d *policy.Policy, v uint64) string {
	if v&ownInItsText != 0 {
		return d.Name
	}
	return an.dumpFile
}

// bracesOf packs the offsets of d's braces, 31 bits and 32, or is
// noBraces.
func bracesOf(d *policy.Policy) uint64 {
	start, end := d.BraceOffsets()
	if start < 0 || start >= 1<<31 || end < 0 || end >= 1<<32 {
		return noBraces
	}
	return uint64(start)<<32 | uint64(end)
}

const (
	noBraces     = 1<<63 - 1
	ownInItsText = 1 << 63
)

// statementIDs numbers each statement of p by its content: the document's
// Version and the statement's text (policy.Policy.StatementText) but for
// its Sid (appendDeciding). The same statement of copies of a document,
// the same statement in documents that differ elsewhere, and statements
// that differ only in their Sids get the same number. A statement whose
// text is not known is numbered by identity (p and its index).
func (an *Analyzer) statementIDs(p *policy.Policy) []uint32 {
	ids, _ := an.numberStatements(p, an.stmtIDs, 't')
	return ids
}

// rowStatementIDs is statementIDs but for each statement's Resource and
// NotResource elements: statements that differ only in the resources they
// name (each user's home prefix) get the same number, which no statement
// of statementIDs gets. RowClass numbers so the statements that let a
// request's resource in, when no policy variable of theirs can change
// that: what else of the resource a decision reads is in its key.
func (an *Analyzer) rowStatementIDs(p *policy.Policy) []uint32 {
	ids, _ := an.numberStatements(p, an.rowIDs, 'r')
	return ids
}

// numberStatements is statementIDs (kind 't') or rowStatementIDs (kind
// 'r', with the mentions of each statement, mentionsOf), kept in byPolicy
// and rowMasks for a policy more than one principal holds. The numbers of
// a policy one principal holds are found again when asked: each
// principal's classifier keeps them while it reads that principal
// (Classifier.key), and the content numbers they come from stay, so they
// are the same each time; keeping them all took about 7 MB at 20,000
// users, a tenth of the analysis's memory (BENCHMARKS.md).
func (an *Analyzer) numberStatements(p *policy.Policy, byPolicy map[*policy.Policy][]uint32, kind byte) ([]uint32, []uint8) {
	keep := an.HeldByMany(p)
	if keep {
		an.idMu.Lock()
		ids, ok := byPolicy[p]
		masks := an.rowMasks[p]
		an.idMu.Unlock()
		if ok {
			return ids, masks
		}
	}
	// the contents are read without the lock (every core numbers the
	// policies of the principals it keys), and numbered under it
	sums := make([]keyhash.Sum, len(p.Statements))
	// the principal's own keys each statement may read, for rowMasks
	var masks []uint8
	if kind == 'r' {
		masks = make([]uint8, len(p.Statements))
	}
	// the key is made in a buffer of the analyzer's, kept for the next
	// policy (most are numbered again: see above)
	kb, _ := an.keyBufs.Get().(*[]byte)
	if kb == nil {
		kb = new([]byte)
	}
	key := *kb
	defer func() { *kb = key[:0]; an.keyBufs.Put(kb) }()
	for i, st := range p.Statements {
		key = append(key[:0], p.Version...)
		key = append(key, 0)
		text := p.StatementText(st)
		if text != nil {
			key = append(key, kind)
			if kind == 'r' {
				key = appendDecidingBut(key, text, "Resource", "NotResource")
			} else {
				key = appendDeciding(key, text)
			}
		} else {
			// by identity: a number never collides with a text
			key = append(key, 'p')
			key = strconv.AppendUint(key, uint64(an.policyID(p)), 10)
			key = append(key, ' ')
			key = strconv.AppendInt(key, int64(i), 10)
		}
		sums[i] = keyhash.Of(key)
		if kind == 'r' {
			masks[i] = mentionsOf(key, text == nil)
		}
	}
	an.idMu.Lock()
	defer an.idMu.Unlock()
	if ids, ok := byPolicy[p]; ok {
		return ids, an.rowMasks[p] // another core numbered it meanwhile
	}
	ids := make([]uint32, len(p.Statements))
	for i, h := range sums {
		id, ok := an.contents[h]
		if !ok {
			id = uint32(len(an.contents))
			an.contents[h] = id
		}
		ids[i] = id
	}
	if keep {
		byPolicy[p] = ids
		if kind == 'r' {
			an.rowMasks[p] = masks
		}
	}
	return ids, masks
}

// The principal's own keys a statement's content (rowStatementIDs) may
// read, as rowMasks records them for each statement: one bit for each,
// and mentionUnsure for a content whose keys its text may not show (a
// JSON escape in it, or no text at all).
const (
	mentionUsername uint8 = 1 << iota
	mentionUserid
	mentionPrincipalArn
	mentionUnsure
)

// mentionsOf returns which of the principal's own keys the content may
// read, anywhere (a condition's key, a policy variable of its values):
// keys compare as strings.EqualFold does, which an ASCII text shows to a
// search of its lower case; a JSON escape (\u0061ws:username) or a
// character outside ASCII that folds to one of the key's (ſ, U+017F, to s;
// K, U+212A, to k) could hide one from it, so a content with a backslash or
// a byte outside ASCII may read any.
func mentionsOf(content []byte, noText bool) uint8 {
	if noText || bytes.IndexByte(content, '\\') >= 0 || !isASCII(content) {
		return mentionUsername | mentionUserid | mentionPrincipalArn | mentionUnsure
	}
	// ASCII: each "aws:" compared without case in place, and what
	// follows it (strings.EqualFold folds ASCII letters alone)
	var m uint8
	for i := 0; i+4 <= len(content); i++ {
		if content[i]|0x20 != 'a' || content[i+1]|0x20 != 'w' || content[i+2]|0x20 != 's' || content[i+3] != ':' {
			continue
		}
		rest := unsafe.String(unsafe.SliceData(content[i+4:]), len(content)-i-4)
		for _, k := range [...]struct {
			name string
			bit  uint8
		}{{"username", mentionUsername}, {"userid", mentionUserid}, {"principalarn", mentionPrincipalArn}} {
			if len(rest) >= len(k.name) && strings.EqualFold(rest[:len(k.name)], k.name) {
				m |= k.bit
			}
		}
	}
	return m
}

// isASCII reports whether b holds no byte outside ASCII.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// principalKeyMention is the bit of mentionsOf for key, one of the keys
// namesPrincipal reports, or 0.
func principalKeyMention(key string) uint8 {
	switch {
	case strings.EqualFold(key, "aws:username"):
		return mentionUsername
	case strings.EqualFold(key, "aws:userid"):
		return mentionUserid
	case strings.EqualFold(key, "aws:PrincipalArn"):
		return mentionPrincipalArn
	}
	return 0
}

// rowStatementMentions returns mentionsOf each statement of p, as
// rowStatementIDs numbers them, made with the numbers.
func (an *Analyzer) rowStatementMentions(p *policy.Policy) []uint8 {
	_, masks := an.numberStatements(p, an.rowIDs, 'r')
	return masks
}

// appendDeciding appends to b what of a statement's text, a JSON object,
// decides requests: each member but "Sid", its name and value as written,
// in order. A Sid names the statement and decides nothing (IAM JSON policy
// elements reference: "The Sid (statement ID) is an optional identifier
// that you provide for the policy statement"); the answers a class shares
// name each member's own statement, Sid included (Slots.Map). The spacing
// between members is left out with it; a text that is not an object is
// appended whole.
func appendDeciding(b, text []byte) []byte {
	return appendDecidingBut(b, text)
}

// appendDecidingBut is appendDeciding without the members named but too.
func appendDecidingBut(b, text []byte, but ...string) []byte {
	// read in place (ParseBytes copies the text): nothing of obj is kept
	// past this call, and what is appended is copied into b, made room
	// for at once
	obj := gjson.Parse(unsafe.String(unsafe.SliceData(text), len(text)))
	b = slices.Grow(b, len(text))
	if !obj.IsObject() {
		return append(b, text...)
	}
	obj.ForEach(func(k, v gjson.Result) bool {
		if k.Str == "Sid" || slices.Contains(but, k.Str) {
			return true
		}
		b = append(b, k.Raw...)
		b = append(b, ':')
		b = append(b, v.Raw...)
		b = append(b, 1)
		return true
	})
	return b
}

// trustShape numbers r's trust policy by what of it decides a caller's
// request, but for how each statement's Principal names the caller (which
// evaluator.Engine.AppendPrincipalMatches tells): its Version and each
// statement's members but Sid and Principal, in order. Trust policies of
// one shape decide alike every caller their Principal elements name alike,
// whichever role they belong to, when the caller's own policies read
// nothing of the role (Classifier.ResourceFree) and the statements name no
// resource. ok is false for a trust policy whose shape does not say all
// that: a statement with Resource, NotResource or NotPrincipal, or a
// policy built rather than parsed.
func (an *Analyzer) trustShape(r *Role) (id uint32, ok bool) {
	return an.TrustShape(r)
}

// TrustShape numbers r's trust policy by all of it that decides a
// request but how each statement's Principal names the caller (which
// evaluator.Engine.AppendPrincipalMatches tells): its Version and each
// statement's members but Sid and Principal, in order. Two trust policies
// of one number decide alike each request whose caller they name alike:
// what sets them apart is whom they name. ok is false where the number
// does not say all that: a statement with Resource, NotResource or
// NotPrincipal, or a policy built rather than parsed. Numbers are an's
// own (of the policies an has numbered, in no set order): compare them
// only with an's. It is safe for concurrent use.
func (an *Analyzer) TrustShape(r *Role) (id uint32, ok bool) {
	t := r.Trust
	an.idMu.Lock()
	defer an.idMu.Unlock()
	if s, found := an.shapes[t]; found {
		return s.id, s.ok
	}
	key := append([]byte("trust\x00"), t.Version...)
	key = append(key, 0)
	ok = true
	for _, st := range t.Statements {
		text := t.StatementText(st)
		if text == nil || st.Resource != nil || st.Principal != nil && st.Principal.Not {
			ok = false
			break
		}
		key = appendDecidingBut(key, text, "Principal")
		key = append(key, 2)
	}
	if ok {
		var found bool
		h := keyhash.Of(key)
		if id, found = an.contents[h]; !found {
			id = uint32(len(an.contents))
			an.contents[h] = id
		}
	}
	an.shapes[t] = trustShapeID{id, ok}
	return id, ok
}

// trustShapeID is a trust policy's trustShape.
type trustShapeID struct {
	id uint32
	ok bool
}

// policyID numbers p by identity: a policy one principal holds that
// addOwn recorded by its name, which is its alone (this does not keep it
// alive), any other by pointer.
func (an *Analyzer) policyID(p *policy.Policy) uint32 {
	an.idMu.Lock()
	defer an.idMu.Unlock()
	if _, counted := an.policyHolders[p]; !counted && an.ownByName(p) {
		return numberIn(an.nameIDs, p.Name, &an.nextPolicyID)
	}
	return numberIn(an.pointerIDs, p, &an.nextPolicyID)
}

// numberIn returns k's number in m, giving it *next (and counting on)
// when it has none.
func numberIn[K comparable](m map[K]uint32, k K, next *uint32) uint32 {
	id, ok := m[k]
	if !ok {
		id = *next
		*next++
		m[k] = id
	}
	return id
}

// Same reports whether s and t are the same policies.
func (s Slots) Same(t Slots) bool {
	if len(s) != len(t) {
		return false
	}
	for i := range s {
		if s[i] != t[i] {
			return false
		}
	}
	return true
}

// Map returns m, a statement of a policy of s, as the same statement of
// the policy in the same place of t, slots of the same class: its name
// and positions are t's. A statement of no policy of s (never one of a
// class's answers) is returned as it is.
func (s Slots) Map(m evaluator.MatchedStatement, t Slots) evaluator.MatchedStatement {
	for i, cp := range s {
		if cp.Policy.Name != m.PolicyID || cp.Type != m.PolicyType || cp.Level != m.Level {
			continue
		}
		q := t[i].Policy
		if m.Index < 0 || m.Index >= len(q.Statements) {
			return m
		}
		st := q.Statements[m.Index]
		start, end := q.Braces(st)
		return evaluator.MatchedStatement{PolicyID: q.Name, PolicyType: t[i].Type, Level: t[i].Level,
			Index: st.Index, Sid: st.Sid, Effect: st.Effect, Start: start, End: end}
	}
	return m
}

// MapAll is Map of each of ms: ms itself when Map changes none of them
// (the policies are the same, or have the same names), else a new slice.
func (s Slots) MapAll(ms []evaluator.MatchedStatement, t Slots) []evaluator.MatchedStatement {
	var out []evaluator.MatchedStatement
	for i, m := range ms {
		n := s.Map(m, t)
		if out == nil && n != m {
			out = make([]evaluator.MatchedStatement, len(ms))
			copy(out, ms[:i])
		}
		if out != nil {
			out[i] = n
		}
	}
	if out == nil {
		return ms
	}
	return out
}

// MapClause returns c, a clause of the statement m of a policy of s, as
// the same clause of the same statement in t.
func (s Slots) MapClause(m evaluator.MatchedStatement, c *policy.Clause, t Slots) *policy.Clause {
	if c == nil {
		return nil
	}
	for i, cp := range s {
		if cp.Policy.Name != m.PolicyID || cp.Type != m.PolicyType || cp.Level != m.Level || m.Index < 0 || m.Index >= len(cp.Policy.Statements) {
			continue
		}
		for j, x := range cp.Policy.Statements[m.Index].Conditions {
			if x == c {
				return t[i].Policy.Statements[m.Index].Conditions[j]
			}
		}
	}
	return c
}

// CountDecisions adds n to the requests decided (Decisions): the requests
// of a principal whose answers were carried over from its class.
func (an *Analyzer) CountDecisions(n int) { an.decisions.Add(int64(n)) }

// classIDs are the numbering of statements by content and of policies by
// identity.
type classIDs struct {
	// holders counts the holders of each statement (statementHolders),
	// from policyHolders, how many principals hold each policy (in the
	// order the principals' sets first name them: policyOrder), which
	// NewAnalyzer counts
	holdersOnce sync.Once
	holders     []int32
	// rowHeld counts them by rowStatementIDs (rowHolders)
	rowHoldersOnce sync.Once
	rowHeld        []int32
	// policyHolders counts the holders of each policy several principals
	// hold in their sets, and of those one holds whose names others of them
	// have too; ownPolicies the braces of the other policies one principal
	// holds, by name, which are not kept alive for it (holdersOf)
	policyHolders map[*policy.Policy]int32
	ownPolicies   map[string]uint64
	dumpFile      string
	idMu          sync.Mutex
	stmtIDs       map[*policy.Policy][]uint32
	rowIDs        map[*policy.Policy][]uint32
	// rowMasks are the principal's own keys each statement numbered by
	// rowStatementIDs may read (mentionsOf), by policy
	rowMasks map[*policy.Policy][]uint8
	shapes   map[*policy.Policy]trustShapeID
	// contents numbers statements by their keys' digests (keyhash)
	contents map[keyhash.Sum]uint32
	// pointerIDs and nameIDs number policies by identity (policyID)
	pointerIDs   map[*policy.Policy]uint32
	nameIDs      map[string]uint32
	nextPolicyID uint32
	// interned numbers keys (intern) by their digests
	interned map[keyhash.Sum]uint32
	// keyBufs are numberStatements' buffers (*[]byte)
	keyBufs sync.Pool
}

// statementHolders returns, for each statement number (statementIDs), how
// many principals of the account hold a statement of that content in their
// identity policies and boundary, counted once per policy that holds it:
// 1 means one principal alone holds it. Numbers given later, to the
// statements of other policies, are beyond the slice. It is made once.
func (an *Analyzer) statementHolders() []int32 {
	an.holdersOnce.Do(func() { an.holders = an.countHolders(an.statementIDs) })
	return an.holders
}

// rowHolders is statementHolders of the numbers of rowStatementIDs.
func (an *Analyzer) rowHolders() []int32 {
	an.rowHoldersOnce.Do(func() { an.rowHeld = an.countHolders(an.rowStatementIDs) })
	return an.rowHeld
}

// countHolders counts the holders of each number numbers gives.
func (an *Analyzer) countHolders(numbers func(*policy.Policy) []uint32) []int32 {
	// each policy once, with its holders, in the order the principals'
	// sets name them (so that the statements are numbered as they would
	// be, reading set after set)
	var counts []int32
	// (a policy one principal holds comes once)
	seen := map[*policy.Policy]bool{}
	add := func(d *policy.Policy) {
		n := an.holdersOf(d)
		if n != 1 {
			if seen[d] {
				return
			}
			seen[d] = true
		}
		for _, id := range numbers(d) {
			for int(id) >= len(counts) {
				counts = append(counts, 0)
			}
			counts[id] += n
		}
	}
	for _, p := range an.dumpPrincipals() {
		for d := range an.acct.setPolicies(p) {
			add(d)
		}
	}
	return counts
}

// intern numbers key: equal keys get equal numbers.
func (an *Analyzer) intern(key []byte) uint32 {
	h := keyhash.Of(key)
	an.idMu.Lock()
	defer an.idMu.Unlock()
	id, ok := an.interned[h]
	if !ok {
		id = uint32(len(an.interned))
		an.interned[h] = id
	}
	return id
}
