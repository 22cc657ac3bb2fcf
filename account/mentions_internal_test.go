package account

import "testing"

// TestMentionsOf pins which of the principal's own keys a statement's
// content may read: condition keys compare without case (IAM JSON policy
// elements reference, Condition: "Condition key names are not case
// sensitive"), and a text a search cannot trust (a JSON escape, a
// character outside ASCII, no text at all) may read any.
func TestMentionsOf(t *testing.T) {
	all := mentionUsername | mentionUserid | mentionPrincipalArn | mentionUnsure
	for _, tc := range []struct {
		content string
		noText  bool
		want    uint8
	}{
		{`{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}`, false, 0},
		{`{"Condition":{"StringEquals":{"aws:username":"alice"}}}`, false, mentionUsername},
		{`{"Condition":{"StringEquals":{"AWS:UserName":"alice"}}}`, false, mentionUsername},
		{`{"Resource":"arn:aws:s3:::b/${AWS:USERNAME}/*"}`, false, mentionUsername},
		{`{"Condition":{"StringLike":{"aws:userid":"AIDA*"}}}`, false, mentionUserid},
		{`{"Condition":{"ArnEquals":{"aws:PrincipalArn":"arn:aws:iam::1:user/a"}}}`, false, mentionPrincipalArn},
		{`{"Condition":{"StringEquals":{"aws:UserId":"x","aws:principalARN":"y","aws:username":"z"}}}`, false, mentionUsername | mentionUserid | mentionPrincipalArn},
		{`{"Condition":{"StringEquals":{"aws:user":"x","aws:principal":"y"}}}`, false, 0},
		{`{"Condition":{"StringEquals":{"aws:us\u0065rname":"alice"}}}`, false, all},
		{`{"Condition":{"StringEquals":{"aws:ſerid":"x"}}}`, false, all},
		{``, true, all},
	} {
		if got := mentionsOf([]byte(tc.content), tc.noText); got != tc.want {
			t.Errorf("mentionsOf(%s, %v) = %04b, want %04b", tc.content, tc.noText, got, tc.want)
		}
	}
}
