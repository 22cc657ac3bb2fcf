package clients

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"
)

// The server under test: "iameval serve", built from this repository and
// started once for every test, with the example account loaded.
var (
	binary   string // the iameval binary
	endpoint string // http://127.0.0.1:PORT
	root     string // the repository
)

const accountDump = "testdata/account/example-account.json"

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if root, err = filepath.Abs(".."); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	dir, err := os.MkdirTemp("", "iameval-clients")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "iameval")
	build := exec.Command("go", "build", "-o", binary, "./cmd/iameval")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building iameval:", err)
		return 2
	}
	if e := os.Getenv("IAMEVAL_ENDPOINT"); e != "" {
		// a server started by hand (for debugging)
		endpoint = e
		return m.Run()
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := exec.CommandContext(ctx, binary, "serve", "--listen", "127.0.0.1:0", "--account", accountDump)
	srv.Dir = root
	stderr, err := srv.StderrPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	if err := srv.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "starting iameval serve:", err)
		return 2
	}
	defer func() { _ = srv.Process.Signal(os.Interrupt); _ = srv.Wait() }()
	found := make(chan string, 1)
	go func() {
		listening := regexp.MustCompile(`listening on (http://\S+)`)
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		if !sent {
			close(found)
		}
	}()
	select {
	case u, ok := <-found:
		if !ok {
			fmt.Fprintln(os.Stderr, "iameval serve ended without saying where it listens")
			return 2
		}
		endpoint = u
	case <-time.After(30 * time.Second):
		fmt.Fprintln(os.Stderr, "iameval serve did not say where it listens within 30 s")
		return 2
	}
	return m.Run()
}

// client is the SDK's IAM client pointed at the server, with credentials
// the server accepts without checking.
func client() *iam.Client {
	return iam.New(iam.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""),
	})
}

// simulateJSON runs "iameval simulate" on a request document and returns
// its EvaluationResults, decoded.
func simulateJSON(t *testing.T, args ...string) []result {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"simulate", "--output", "json"}, args...)...)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("iameval simulate %v: %v\n%s", args, err, ee.Stderr)
		}
		t.Fatal(err)
	}
	var resp struct{ EvaluationResults []result }
	if err := json.Unmarshal(out, &resp); err != nil {
		t.Fatal(err)
	}
	return resp.EvaluationResults
}

// result is what the SDK and "iameval simulate" both report of a result.
type result struct {
	EvalActionName, EvalResourceName, EvalDecision string
	MatchedStatements                              []statement
	MissingContextValues                           []string
	EvalDecisionDetails                            map[string]string
	PermissionsBoundaryDecisionDetail              *struct{ AllowedByPermissionsBoundary bool } `json:",omitempty"`
}

type statement struct {
	SourcePolicyId, SourcePolicyType string //nolint:revive // AWS's spelling
	StartPosition, EndPosition       struct{ Line, Column int }
}

// fromSDK converts the SDK's results to the shape compared.
func fromSDK(rs []types.EvaluationResult) []result {
	var out []result
	for _, r := range rs {
		x := result{
			EvalActionName:       aws.ToString(r.EvalActionName),
			EvalResourceName:     aws.ToString(r.EvalResourceName),
			EvalDecision:         string(r.EvalDecision),
			MissingContextValues: r.MissingContextValues,
		}
		if r.EvalDecisionDetails != nil {
			x.EvalDecisionDetails = map[string]string{}
			for k, v := range r.EvalDecisionDetails {
				x.EvalDecisionDetails[k] = string(v)
			}
		}
		if b := r.PermissionsBoundaryDecisionDetail; b != nil {
			x.PermissionsBoundaryDecisionDetail = &struct{ AllowedByPermissionsBoundary bool }{b.AllowedByPermissionsBoundary}
		}
		for _, m := range r.MatchedStatements {
			s := statement{SourcePolicyId: aws.ToString(m.SourcePolicyId), SourcePolicyType: string(m.SourcePolicyType)}
			if p := m.StartPosition; p != nil {
				s.StartPosition.Line, s.StartPosition.Column = int(p.Line), int(p.Column)
			}
			if p := m.EndPosition; p != nil {
				s.EndPosition.Line, s.EndPosition.Column = int(p.Line), int(p.Column)
			}
			x.MatchedStatements = append(x.MatchedStatements, s)
		}
		out = append(out, x)
	}
	return out
}

// normal makes empty lists and maps compare equal to absent ones: the
// Query API's XML cannot tell them apart.
func normal(rs []result) []result {
	for i := range rs {
		if len(rs[i].MatchedStatements) == 0 {
			rs[i].MatchedStatements = nil
		}
		if len(rs[i].MissingContextValues) == 0 {
			rs[i].MissingContextValues = nil
		}
		if len(rs[i].EvalDecisionDetails) == 0 {
			rs[i].EvalDecisionDetails = nil
		}
	}
	return rs
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// writeDoc writes a request document for "iameval simulate --input".
func writeDoc(t *testing.T, doc any) string {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "request.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestSDKSimulateCustomPolicy: the SDK's SimulateCustomPolicy, paginated
// with MaxItems, gets exactly the results of "iameval simulate" on the
// same request, under each kind of credentials the MFA keys describe.
func TestSDKSimulateCustomPolicy(t *testing.T) {
	policyText := readFile(t, "examples/policies/force-mfa-self-manage.json")
	boundary := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:*","s3:*"],"Resource":"*"}]}`
	actions := []string{"iam:EnableMFADevice", "iam:CreateAccessKey", "iam:ChangePassword", "s3:ListAllMyBuckets", "ec2:StopInstances"}
	resources := []string{"arn:aws:iam::123456789012:user/alice", "*"}
	contexts := map[string][]types.ContextEntry{
		"long-term keys": {{ContextKeyName: aws.String("aws:username"), ContextKeyType: types.ContextKeyTypeEnumString, ContextKeyValues: []string{"alice"}}},
		"no MFA": {
			{ContextKeyName: aws.String("aws:username"), ContextKeyType: types.ContextKeyTypeEnumString, ContextKeyValues: []string{"alice"}},
			{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"false"}},
		},
		"MFA": {
			{ContextKeyName: aws.String("aws:username"), ContextKeyType: types.ContextKeyTypeEnumString, ContextKeyValues: []string{"alice"}},
			{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"true"}},
			{ContextKeyName: aws.String("aws:MultiFactorAuthAge"), ContextKeyType: types.ContextKeyTypeEnumNumeric, ContextKeyValues: []string{"300"}},
		},
	}
	for name, entries := range contexts {
		t.Run(name, func(t *testing.T) {
			in := &iam.SimulateCustomPolicyInput{
				PolicyInputList:                    []string{policyText},
				PermissionsBoundaryPolicyInputList: []string{boundary},
				ActionNames:                        actions,
				ResourceArns:                       resources,
				CallerArn:                          aws.String("arn:aws:iam::123456789012:user/alice"),
				ContextEntries:                     entries,
				MaxItems:                           aws.Int32(3),
			}
			var got []types.EvaluationResult
			pages := 0
			p := iam.NewSimulateCustomPolicyPaginator(client(), in)
			for p.HasMorePages() {
				out, err := p.NextPage(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				pages++
				got = append(got, out.EvaluationResults...)
			}
			if want := (len(actions)*len(resources) + 2) / 3; pages != want {
				t.Errorf("%d pages, want %d (MaxItems 3)", pages, want)
			}
			var ces []map[string]any
			for _, e := range entries {
				ces = append(ces, map[string]any{"ContextKeyName": *e.ContextKeyName, "ContextKeyType": string(e.ContextKeyType), "ContextKeyValues": e.ContextKeyValues})
			}
			doc := writeDoc(t, map[string]any{
				"PolicyInputList": []string{policyText}, "PermissionsBoundaryPolicyInputList": []string{boundary},
				"ActionNames": actions, "ResourceArns": resources,
				"CallerArn": "arn:aws:iam::123456789012:user/alice", "ContextEntries": ces,
			})
			want := simulateJSON(t, "--input", doc)
			if d := cmp.Diff(normal(want), normal(fromSDK(got))); d != "" {
				t.Errorf("the SDK's results differ from iameval simulate's (-simulate +sdk):\n%s", d)
			}
			if len(got) != len(actions)*len(resources) {
				t.Errorf("%d results, want %d", len(got), len(actions)*len(resources))
			}
		})
	}
}

// TestSDKSimulatePrincipalPolicy: the SDK's SimulatePrincipalPolicy on a
// user and a role of the loaded account gets the results of "iameval
// simulate --account" on the same principal.
func TestSDKSimulatePrincipalPolicy(t *testing.T) {
	actions := []string{"s3:GetObject", "iam:CreateAccessKey", "ec2:StopInstances", "sts:AssumeRole"}
	for _, principal := range []string{"arn:aws:iam::123456789012:user/alice", "arn:aws:iam::123456789012:user/automation/ci-bot", "arn:aws:iam::123456789012:role/Admin", "arn:aws:iam::123456789012:group/developers"} {
		t.Run(principal, func(t *testing.T) {
			out, err := client().SimulatePrincipalPolicy(context.Background(), &iam.SimulatePrincipalPolicyInput{
				PolicySourceArn: aws.String(principal),
				ActionNames:     actions,
				ResourceArns:    []string{"*", "arn:aws:iam::123456789012:role/Admin"},
				ContextEntries: []types.ContextEntry{
					{ContextKeyName: aws.String("aws:MultiFactorAuthPresent"), ContextKeyType: types.ContextKeyTypeEnumBoolean, ContextKeyValues: []string{"false"}},
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			doc := writeDoc(t, map[string]any{
				"PolicySourceArn": principal, "ActionNames": actions,
				"ResourceArns":   []string{"*", "arn:aws:iam::123456789012:role/Admin"},
				"ContextEntries": []map[string]any{{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyType": "boolean", "ContextKeyValues": []string{"false"}}},
			})
			want := simulateJSON(t, "--account", accountDump, "--input", doc)
			if d := cmp.Diff(normal(want), normal(fromSDK(out.EvaluationResults))); d != "" {
				t.Errorf("the SDK's results differ from iameval simulate's (-simulate +sdk):\n%s", d)
			}
			if out.IsTruncated {
				t.Error("IsTruncated with 8 results (AWS's default page is 100)")
			}
		})
	}
}

// TestSDKGetContextKeys: both GetContextKeysFor* actions return the keys
// the policies name, as the SDK reads them.
func TestSDKGetContextKeys(t *testing.T) {
	custom, err := client().GetContextKeysForCustomPolicy(context.Background(), &iam.GetContextKeysForCustomPolicyInput{
		PolicyInputList: []string{readFile(t, "examples/policies/production-bucket-recent-mfa.json")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !containsFold(custom.ContextKeyNames, "aws:MultiFactorAuthAge") {
		t.Errorf("GetContextKeysForCustomPolicy: %v lacks aws:MultiFactorAuthAge", custom.ContextKeyNames)
	}
	principal, err := client().GetContextKeysForPrincipalPolicy(context.Background(), &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/alice"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !containsFold(principal.ContextKeyNames, "aws:MultiFactorAuthPresent") {
		t.Errorf("GetContextKeysForPrincipalPolicy: %v lacks aws:MultiFactorAuthPresent", principal.ContextKeyNames)
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

// TestSDKErrors: the SDK reads the server's errors as the modelled
// exceptions of each action: NoSuchEntityException for an unknown
// principal, InvalidInputException for a policy AWS would refuse.
func TestSDKErrors(t *testing.T) {
	_, err := client().SimulatePrincipalPolicy(context.Background(), &iam.SimulatePrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:user/nobody"),
		ActionNames:     []string{"s3:GetObject"},
	})
	var nse *types.NoSuchEntityException
	if !errors.As(err, &nse) {
		t.Errorf("an unknown principal: %v, want NoSuchEntityException", err)
	}
	_, err = client().GetContextKeysForPrincipalPolicy(context.Background(), &iam.GetContextKeysForPrincipalPolicyInput{
		PolicySourceArn: aws.String("arn:aws:iam::123456789012:role/nobody"),
	})
	if !errors.As(err, &nse) {
		t.Errorf("GetContextKeysForPrincipalPolicy, an unknown principal: %v, want NoSuchEntityException", err)
	}
	_, err = client().SimulateCustomPolicy(context.Background(), &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}`},
		ActionNames:     []string{"s3:GetObject"},
	})
	var iie *types.InvalidInputException
	if !errors.As(err, &iie) {
		t.Errorf("a policy without Resource: %v, want InvalidInputException", err)
	} else if !strings.Contains(iie.ErrorMessage(), "Resource") {
		t.Errorf("the message %q does not say what is wrong", iie.ErrorMessage())
	}
	_, err = client().SimulateCustomPolicy(context.Background(), &iam.SimulateCustomPolicyInput{
		PolicyInputList: []string{readFile(t, "examples/policies/force-mfa-self-manage.json")},
		ActionNames:     []string{"s3:GetObject"},
		ContextEntries:  []types.ContextEntry{{ContextKeyName: aws.String("aws:MultiFactorAuthAge"), ContextKeyType: types.ContextKeyTypeEnumNumeric, ContextKeyValues: []string{"soon"}}},
	})
	if !errors.As(err, &iie) {
		t.Errorf("a numeric key that is not a number: %v, want InvalidInputException", err)
	}
}
