package policy

import (
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// LooksLikePolicy reports whether v is meant as a policy, even one AWS would
// refuse: an object with a member a policy or a statement has, in any letter
// case and misspelt (Statement, statement, Statements, Statment, Effect,
// Action, ...; Version and Id only as spelt, as package.json has "version"),
// or an object or list holding, a few levels down, an object with an
// Effect. Such a file must be parsed and refused, never skipped: a skipped
// Deny turns an answer into allowed.
func LooksLikePolicy(v gjson.Result) bool {
	return policyLikeAt(v, 0)
}

func policyLikeAt(v gjson.Result, depth int) bool {
	if depth > 4 || !v.IsObject() && !v.IsArray() {
		return false
	}
	found := false
	v.ForEach(func(k, val gjson.Result) bool {
		key := strings.ToLower(k.Str)
		switch {
		case v.IsObject() && (strings.Contains(key, "statement") || strings.Contains(key, "statment") || strings.HasPrefix(key, "stmt")):
			found = true
		case v.IsObject() && depth == 0 && slices.Contains([]string{"sid", "effect", "action", "notaction", "resource", "notresource", "principal", "notprincipal", "condition"}, key):
			found = true
		case v.IsObject() && key == "effect":
			found = true
		default:
			found = policyLikeAt(val, depth+1)
		}
		return !found
	})
	return found
}
