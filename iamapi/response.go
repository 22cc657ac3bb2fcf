package iamapi

import (
	"encoding/xml"
	"io"
	"slices"
	"strings"

	"github.com/iameval/iameval/evaluator"
)

// Namespace is the XML namespace of IAM's Query API responses.
const Namespace = "https://iam.amazonaws.com/doc/2010-05-08/"

// APIVersion is the IAM API version the Query API requests name.
const APIVersion = "2010-05-08"

// Position is a place in a policy's text: 1-based Line and Column, as AWS's
// simulator reports statement positions.
type Position struct {
	Line   int
	Column int
}

// Statement is one of MatchedStatements: the policy (by SourcePolicyId and
// SourcePolicyType) and where the statement starts and ends in its text.
type Statement struct {
	SourcePolicyId   string //nolint:revive // AWS's spelling
	SourcePolicyType string
	StartPosition    Position
	EndPosition      Position
}

// PermissionsBoundaryDecisionDetail says whether the permissions boundary
// allowed the action; present when the request holds a boundary.
type PermissionsBoundaryDecisionDetail struct {
	AllowedByPermissionsBoundary bool
}

// OrganizationsDecisionDetail says whether the organization's SCPs allowed
// the action; present when the request holds SCPs.
type OrganizationsDecisionDetail struct {
	AllowedByOrganizations bool
}

// DecisionDetails is EvalDecisionDetails: for a cross-account request, the
// decision of each kind of policy ("IAM Policy", "Resource Policy"). As
// XML it is the Query protocol's map: entry elements of key and value, in
// key order.
type DecisionDetails map[string]string

// MarshalXML writes d as <entry><key>K</key><value>V</value></entry>
// elements in key order.
func (d DecisionDetails) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		entry := struct {
			Key   string `xml:"key"`
			Value string `xml:"value"`
		}{k, d[k]}
		if err := e.EncodeElement(entry, xml.StartElement{Name: xml.Name{Local: "entry"}}); err != nil {
			return err
		}
	}
	return e.EncodeToken(start.End())
}

// EvaluationResult is the result of one action on one resource, in AWS's
// shape: as JSON it is what "aws iam simulate-custom-policy" prints for
// each of EvaluationResults, as XML what the Query API returns.
// MatchedStatements and MissingContextValues are never nil (AWS prints
// empty lists); EvalDecisionDetails is present (perhaps empty) for a named
// resource and for a cross-account request.
type EvaluationResult struct {
	EvalActionName                    string
	EvalResourceName                  string
	EvalDecision                      string
	MatchedStatements                 []Statement                        `xml:"MatchedStatements>member"`
	MissingContextValues              []string                           `xml:"MissingContextValues>member"`
	EvalDecisionDetails               *DecisionDetails                   `json:",omitempty" xml:",omitempty"`
	PermissionsBoundaryDecisionDetail *PermissionsBoundaryDecisionDetail `json:",omitempty" xml:",omitempty"`
	OrganizationsDecisionDetail       *OrganizationsDecisionDetail       `json:",omitempty" xml:",omitempty"`
}

// SimulatePolicyResponse is the result of SimulateCustomPolicy and
// SimulatePrincipalPolicy: one page of results; when IsTruncated, Marker
// asks for the next.
type SimulatePolicyResponse struct {
	EvaluationResults []EvaluationResult `xml:"EvaluationResults>member"`
	IsTruncated       bool
	Marker            string `json:",omitempty" xml:",omitempty"`
}

// GetContextKeysForPolicyResponse is the result of
// GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy.
type GetContextKeysForPolicyResponse struct {
	ContextKeyNames []string `xml:"ContextKeyNames>member"`
}

// Result is one decided action x resource, with what its EvaluationResult
// needs to know of the request: whether it held a boundary and SCPs, and
// whether its policies came from an account snapshot (their
// SourcePolicyType then says user, group, role, aws-managed,
// user-managed).
type Result struct {
	Action, Resource string
	Decision         evaluator.Decision
	HasBoundary      bool
	HasSCP           bool
	FromAccount      bool
}

// EvaluationResult shapes r as AWS does.
func (r *Result) EvaluationResult() EvaluationResult {
	d := &r.Decision
	out := EvaluationResult{
		EvalActionName:       r.Action,
		EvalResourceName:     r.Resource,
		EvalDecision:         d.Verdict.String(),
		MatchedStatements:    []Statement{},
		MissingContextValues: d.MissingContextValues(),
	}
	if out.MissingContextValues == nil {
		out.MissingContextValues = []string{}
	}
	for _, m := range d.MatchedStatements() {
		out.MatchedStatements = append(out.MatchedStatements, Statement{
			SourcePolicyId:   m.PolicyID,
			SourcePolicyType: r.PolicyType(m),
			StartPosition:    Position{m.Start.Line, m.Start.Column},
			EndPosition:      Position{m.End.Line, m.End.Column},
		})
	}
	switch {
	case d.CrossAccount:
		out.EvalDecisionDetails = &DecisionDetails{
			"IAM Policy":      outcomeVerdict(d.Detail.Identity),
			"Resource Policy": outcomeVerdict(d.Detail.Resource),
		}
	case r.Resource != "*":
		out.EvalDecisionDetails = &DecisionDetails{}
	}
	if r.HasBoundary {
		out.PermissionsBoundaryDecisionDetail = &PermissionsBoundaryDecisionDetail{AllowedByPermissionsBoundary: d.Detail.Boundary == evaluator.OutcomeAllowed}
	}
	if r.HasSCP {
		out.OrganizationsDecisionDetail = &OrganizationsDecisionDetail{AllowedByOrganizations: d.Detail.Organizations == evaluator.OutcomeAllowed}
	}
	return out
}

// outcomeVerdict spells a per-type outcome as a decision; a type that had
// no policy denies implicitly.
func outcomeVerdict(o evaluator.Outcome) string {
	switch o {
	case evaluator.OutcomeAllowed:
		return "allowed"
	case evaluator.OutcomeExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// PolicyType is the SourcePolicyType AWS reports for the policy of m.
func (r *Result) PolicyType(m evaluator.MatchedStatement) string {
	if r.FromAccount {
		return accountPolicyType(m)
	}
	return sourcePolicyType(m.PolicyType)
}

// sourcePolicyType is what AWS's simulator reports for a policy: the string
// "IAM Policy" for policies passed inline (observed), the documented
// "resource" for the resource policy, and our own names for the extensions.
func sourcePolicyType(t evaluator.PolicyType) string {
	switch t {
	case evaluator.TypeResource:
		return "resource"
	case evaluator.TypeSCP:
		return "service-control-policy"
	case evaluator.TypeRCP:
		return "resource-control-policy"
	}
	return "IAM Policy"
}

// accountPolicyType is the documented SourcePolicyType of a policy from an
// account snapshot, read from its SourcePolicyId.
func accountPolicyType(m evaluator.MatchedStatement) string {
	id := m.PolicyID
	switch {
	case m.PolicyType == evaluator.TypeResource:
		return "resource"
	case strings.HasPrefix(id, "user "):
		return "user"
	case strings.HasPrefix(id, "group "):
		return "group"
	case strings.HasPrefix(id, "role "):
		return "role"
	case strings.Contains(id, ":iam::aws:policy/"):
		return "aws-managed"
	case strings.HasPrefix(id, "arn:"):
		return "user-managed"
	}
	return sourcePolicyType(m.PolicyType)
}

// responseMetadata is the ResponseMetadata element of every response.
type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// WriteXML writes result, the result of op, as the Query API's response
// document in IAM's namespace:
//
//	<OpResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/">
//	  <OpResult>…</OpResult>
//	  <ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
//	</OpResponse>
//
// result is a *SimulatePolicyResponse or a *GetContextKeysForPolicyResponse.
func WriteXML(w io.Writer, op Operation, result any, requestID string) error {
	doc := struct {
		XMLName  xml.Name
		Xmlns    string `xml:"xmlns,attr"`
		Result   any
		Metadata responseMetadata `xml:"ResponseMetadata"`
	}{
		XMLName:  xml.Name{Local: string(op) + "Response"},
		Xmlns:    Namespace,
		Metadata: responseMetadata{RequestID: requestID},
	}
	doc.Result = xmlNamed{name: string(op) + "Result", v: result}
	return writeXML(w, doc)
}

// xmlNamed marshals v under the element name.
type xmlNamed struct {
	name string
	v    any
}

func (n xmlNamed) MarshalXML(e *xml.Encoder, _ xml.StartElement) error {
	return e.EncodeElement(n.v, xml.StartElement{Name: xml.Name{Local: n.name}})
}

// writeXML writes the XML declaration and v, indented.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
