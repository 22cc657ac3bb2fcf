package policy_test

import (
	"testing"

	"github.com/iameval/iameval/policy"
)

// TestAPIGatewayShorthand pins API Gateway's resource-policy shorthand
// (AWS's API Gateway developer guide: "execute-api:/stage/GET/pets", which
// API Gateway expands to the API's own ARN): accepted in a resource policy,
// refused in every other kind, which takes ARNs.
func TestAPIGatewayShorthand(t *testing.T) {
	p, err := policy.Parse("apigw.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":["execute-api:/*","execute-api:/prod/GET/pets"]}}`))
	if err != nil {
		t.Fatalf("the shorthand is a resource: %v", err)
	}
	if errs := policy.Check(p, policy.KindResource); len(errs) != 0 {
		t.Errorf("a resource policy: %v", errs)
	}
	id, err := policy.Parse("id.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"execute-api:/*"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if errs := policy.Check(id, policy.KindIdentity); len(errs) != 1 || errs[0].Code != policy.CodeBadResource {
		t.Errorf("an identity policy: %v", errs)
	}
	if _, err := policy.Parse("bad.json", []byte(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"execute-api:x"}}`)); err == nil {
		t.Error("execute-api: without the slash is no shorthand")
	}
}
