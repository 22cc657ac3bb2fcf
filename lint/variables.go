package lint

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/iameval/iameval/condition"
	"github.com/iameval/iameval/policy"
)

// A policy variable ${key} takes the value of the request's key. The keys
// of variables are checked as condition keys are (CAT004, CAT005): a key no
// request carries leaves the variable without a value, so the Resource
// entry or condition value holding it matches nothing, or, with a default
// (${key, 'default'}), always holds the default.

// varRef is a policy variable in a text.
type varRef struct {
	key    string
	def    string
	hasDef bool
	at     int    // the offset of its "${" in the text
	text   string // "${...}" as the text writes it
}

// variables returns the policy variables of s as the evaluator reads them
// (condition.CompilePattern): ${*}, ${?} and ${$} are literal characters,
// not variables; "${key, 'default'}" has a default; "${" with no closing
// brace, an empty name, or a name holding a space, a comma, a quote, '$'
// or '{' is literal text.
func variables(s string) []varRef {
	var out []varRef
	for i := 0; i+1 < len(s); {
		if s[i] != '$' || s[i+1] != '{' {
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			break // no later "${" closes either
		}
		body := s[i+2 : i+end]
		switch body {
		case "*", "?", "$":
			i += end + 1
			continue
		}
		v := varRef{key: body, at: i, text: s[i : i+end+1]}
		ok := true
		if j := strings.Index(body, ", '"); j >= 0 {
			if !strings.HasSuffix(body, "'") || len(body) < j+4 {
				ok = false
			} else {
				v.key, v.def, v.hasDef = body[:j], body[j+3:len(body)-1], true
			}
		}
		if !ok || v.key == "" || strings.ContainsAny(v.key, " ,'${") {
			i++ // literal '$': the text goes on from the '{'
			continue
		}
		out = append(out, v)
		i += end + 1
	}
	return out
}

// variableScope returns the offset of the part of a Resource entry or an
// ARN operator's value in which the evaluator substitutes variables, or -1
// when it substitutes none. In an ARN that is the resource part, after the
// fifth colon: IAM's Variables page, "You can use a policy variable in the
// Resource element, but only in the resource portion of the ARN".
// resource says whether s is a Resource or NotResource entry (a shorter
// ARN is padded with "*" parts, which hold no variable), not a condition
// value (a shorter ARN is a pattern of its whole text).
func variableScope(s string, resource bool) int {
	if resource {
		if s == "*" {
			return -1
		}
		if strings.HasPrefix(s, policy.APIGatewayShorthand) {
			return len(policy.APIGatewayShorthand)
		}
	}
	if !strings.HasPrefix(s, "arn:") {
		return 0
	}
	i, colons := 0, 0
	for ; i < len(s) && colons < 5; i++ {
		if s[i] == ':' {
			colons++
		}
	}
	if colons < 5 {
		if resource {
			return -1
		}
		return 0
	}
	return i
}

// transferVariables are the variables of AWS Transfer Family's session
// policies, which Transfer Family fills in and the Service Authorization
// Reference does not list ("To create a session policy, use the following
// policy variables in your IAM policy: ${transfer:HomeBucket},
// ${transfer:HomeDirectory}, ${transfer:HomeFolder}, ${transfer:UserName}").
var transferVariables = map[string]bool{
	"transfer:homebucket": true, "transfer:homedirectory": true, "transfer:homefolder": true, "transfer:username": true,
}

// varSite is where a statement holds variables: a Resource or NotResource
// entry, or a value of a condition.
type varSite struct {
	v      policy.Value
	what   string // "the Resource entry", "the StringLike value"
	effect string // what it then does: "never matches", ...
	moved  string // what to move to another statement: "entry", "condition"
}

// statementVariables checks the keys of the policy variables of s, when
// its policy has variables (Version 2012-10-17: VAR001 reports them as
// literal text otherwise).
func (k *catalogCheck) statementVariables(s *policy.Statement, sa statementActions) {
	if !k.p.VariablesEnabled() {
		return
	}
	if s.Resource != nil {
		elem := "Resource"
		effect := "never matches"
		if s.Resource.Not {
			elem, effect = "NotResource", "never matches, so it excludes nothing"
		}
		for _, v := range s.Resource.Values {
			k.variables(varSite{v, "the " + elem + " entry", effect, "entry"}, variableScope(v.Text, true), sa)
		}
	}
	for _, c := range s.Conditions {
		fam := c.Op.Base.Family()
		if fam != condition.FamilyString && fam != condition.FamilyARN {
			continue // the other operators take no variables (a grammar error)
		}
		for _, v := range c.Values {
			scope := 0
			if fam == condition.FamilyARN {
				scope = variableScope(v.Text, false) // each part of an ARN is a pattern of its own
			}
			k.variables(varSite{v, "the " + c.Operator + " value", "never matches", "condition"}, scope, sa)
		}
	}
}

// variables checks the keys of the variables of site's text from offset
// scope on.
func (k *catalogCheck) variables(site varSite, scope int, sa statementActions) {
	if scope < 0 || !strings.Contains(site.v.Text[scope:], "${") {
		return
	}
	for _, ref := range variables(site.v.Text[scope:]) {
		ref.at += scope
		if !k.checkedNamespace(ref.key) || transferVariables[strings.ToLower(ref.key)] {
			continue
		}
		outcome := fmt.Sprintf("so the variable has no value and %s %q %s", site.what, site.v.Text, site.effect)
		if ref.hasDef {
			outcome = fmt.Sprintf("so the variable always takes its default '%s'", ref.def)
		}
		pos := k.textPos(site.v, ref.at)
		write := func(name string) string {
			if ref.hasDef {
				return "${" + name + ", '" + ref.def + "'}"
			}
			return "${" + name + "}"
		}
		ck := k.c.FindKey(ref.key)
		if ck == nil {
			tail, fix := k.unknownKey(ref.key, sa, write)
			k.add("CAT004", pos, site.v.Path,
				fmt.Sprintf("policy variable %s: condition key %q does not exist, %s%s", ref.text, ref.key, outcome, tail), fix)
			continue
		}
		users, ok := k.unsupported(ck, ref.key, sa)
		if !ok {
			continue
		}
		k.add("CAT005", pos, site.v.Path,
			fmt.Sprintf("policy variable %s: %s is never in a request for %s, %s", ref.text, ref.key, actionList(sa.actions), outcome),
			fmt.Sprintf("use a key these actions support, or move the %s to a statement with an action that supports %s (%s)", site.moved, ref.key, users))
	}
}

// textPos returns the position of byte i of v's text in the policy's
// source. v.Pos() is the string's opening quote; a JSON escape (\/, \u0024)
// writes one character with several bytes, so the source is walked up to
// i. When v's text is not where p.Source holds it (a policy built, not
// parsed), it is v.Pos.
func (k *catalogCheck) textPos(v policy.Value, i int) policy.Position {
	src := k.p.Source
	start := v.Pos().Offset - k.p.Start().Offset // Start is the source's first byte
	if !v.Pos().IsValid() || start < 0 || start >= len(src) || src[start] != '"' {
		return v.Pos()
	}
	var text []byte
	raw := -1 // where byte i of the text is in the source, from the quote
	for j := start + 1; j < len(src); {
		if len(text) == i && raw < 0 {
			raw = j - start
		}
		c := src[j]
		switch {
		case c == '"':
			if string(text) != v.Text || raw < 0 {
				return v.Pos()
			}
			return policy.Position{Filename: v.Pos().Filename, Offset: v.Pos().Offset + raw, Line: v.Pos().Line, Column: v.Pos().Column + raw}
		case c != '\\':
			text = append(text, c)
			j++
		case j+1 < len(src) && src[j+1] != 'u':
			text = append(text, unescape(src[j+1]))
			j += 2
		default:
			r, n := unicodeEscape(src[j:])
			if n == 0 {
				return v.Pos()
			}
			text = utf8.AppendRune(text, r)
			j += n
		}
	}
	return v.Pos()
}

// unescape is the character of JSON's escape \c (other than \u).
func unescape(c byte) byte {
	switch c {
	case 'b':
		return '\b'
	case 'f':
		return '\f'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	}
	return c // '"', '\\', '/'
}

// unicodeEscape reads \uXXXX, or a surrogate pair \uXXXX\uXXXX, at the
// start of s, as encoding/json does (a lone surrogate is U+FFFD), and
// returns the character and the bytes read (0 if s holds no such escape).
func unicodeEscape(s []byte) (rune, int) {
	r, ok := hex4(s)
	if !ok {
		return 0, 0
	}
	if !utf16.IsSurrogate(r) {
		return r, 6
	}
	if r2, ok := hex4(s[6:]); ok {
		if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
			return d, 12
		}
	}
	return utf8.RuneError, 6
}

// hex4 reads \uXXXX at the start of s.
func hex4(s []byte) (rune, bool) {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return 0, false
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
