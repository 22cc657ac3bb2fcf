package evaluator

import (
	"strings"
	"testing"

	"github.com/iameval/iameval/policy"
)

// TestSameKeyIsInterns: WithResourcePolicy finds a resource policy's keys
// among the engine's by sameKey, which must be intern's notion of one key
// (equal when lower-cased: condition keys are case-insensitive, IAM User
// Guide, "Condition element": "Condition key names are not case
// sensitive"), for ASCII and other letters alike.
func TestSameKeyIsInterns(t *testing.T) {
	keys := []string{"aws:SourceIp", "AWS:SOURCEIP", "aws:sourceip", "aws:SourceIP2", "aws:PrincipalTag/Team", "aws:PrincipalTag/team",
		"aws:PrincipalTag/\u212aey", "aws:PrincipalTag/key", "aws:PrincipalTag/KEY", "aws:PrincipalTag/\u0130", "aws:PrincipalTag/i", "aws:PrincipalTag/\u00e9", "aws:PrincipalTag/\u00c9", ""}
	for _, a := range keys {
		for _, b := range keys {
			la, lb := strings.ToLower(a), strings.ToLower(b)
			if got, want := sameKey(a, b), la == lb; got != want {
				t.Errorf("sameKey(%q, %q) = %v, lower-cased equal %v", a, b, got, want)
			}
		}
	}
}

// TestWithResourcePolicyKeys: the resource policy's keys take the ids of
// the engine's keys they equal in any letter case, a new one is added, and
// the engine it was made from keeps its own keys.
func TestWithResourcePolicyKeys(t *testing.T) {
	id := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"},"StringEquals":{"aws:PrincipalTag/team":"ops"}}}]}`)
	trust := mustPolicy(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole","Condition":{"IpAddress":{"AWS:SOURCEIP":"192.0.2.0/24"},"StringEquals":{"sts:ExternalId":"x"}}}]}`)
	e, err := Compile(PolicySet{Identity: []*policy.Policy{id}})
	if err != nil {
		t.Fatal(err)
	}
	before := append([]string(nil), e.keys...)
	w, err := e.WithResourcePolicy(trust)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(e.keys, " ") != strings.Join(before, " ") || len(e.keys) != 2 {
		t.Errorf("the engine's keys changed: %q, were %q", e.keys, before)
	}
	if got := strings.Join(w.keys, " "); got != "aws:SourceIp aws:PrincipalTag/team sts:ExternalId" {
		t.Errorf("keys %q", got)
	}
	rp := w.pols[len(w.pols)-1]
	if rp.typ != TypeResource || len(rp.keyMap) != 2 || w.keys[rp.keyMap[0]] != "aws:SourceIp" || w.keys[rp.keyMap[1]] != "sts:ExternalId" {
		t.Errorf("the resource policy's keys map to %v of %q", rp.keyMap, w.keys)
	}
}

func mustPolicy(t *testing.T, doc string) *policy.Policy {
	t.Helper()
	p, err := policy.Parse("p.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
