#!/usr/bin/env bash
# The AWS CLI against "iameval serve": simulate-custom-policy and
# simulate-principal-policy with --endpoint-url must print exactly the
# results "iameval simulate --output json" prints for the same request.
#
# Usage: clients/awscli.sh AWS IAMEVAL
#   AWS      the aws command to use (the Debian package's /usr/bin/aws)
#   IAMEVAL  an iameval binary built from this repository
# Run from the repository's root. Exit 0 when every comparison holds.
set -euo pipefail
aws=$1
iameval=$2
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

# any credentials: the server accepts them without checking
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null

"$iameval" serve --listen 127.0.0.1:0 --account testdata/account/example-account.json --watch=false 2>"$work/serve.log" &
server=$!
endpoint=""
for _ in $(seq 1 100); do
  endpoint=$(grep -o 'listening on http://[^ ]*' "$work/serve.log" | head -1 | cut -d' ' -f3 || true)
  [ -n "$endpoint" ] && break
  sleep 0.1
done
if [ -z "$endpoint" ]; then
  echo "iameval serve did not start:"; cat "$work/serve.log"; exit 1
fi
echo "iameval serve at $endpoint; $("$aws" --version 2>&1)"

# same compares the EvaluationResults of two outputs, taking an absent list
# or map as empty (the Query API's XML cannot tell them apart)
same() {
  python3 - "$1" "$2" <<'EOF'
import json, sys
def norm(path):
    results = json.load(open(path))["EvaluationResults"]
    for r in results:
        r.pop("OrganizationsDecisionDetail", None)  # not in the Query API
        for k in ("MatchedStatements", "MissingContextValues"):
            r.setdefault(k, [])
        if not r.get("EvalDecisionDetails"):
            r.pop("EvalDecisionDetails", None)
    return results
a, b = norm(sys.argv[1]), norm(sys.argv[2])
if a != b:
    print("the AWS CLI's results differ from iameval simulate's:")
    print(json.dumps(a, indent=1)); print(json.dumps(b, indent=1))
    sys.exit(1)
print(f"  {len(a)} results, the same")
EOF
}

echo "== aws iam simulate-custom-policy --cli-input-json (the bundled request document)"
"$aws" iam simulate-custom-policy --endpoint-url "$endpoint" --cli-input-json file://testdata/simulate/aws-request.json --output json >"$work/cli.json"
"$iameval" simulate --input testdata/simulate/aws-request.json --output json >"$work/sim.json"
same "$work/sim.json" "$work/cli.json"

echo "== aws iam simulate-custom-policy with flags, pages of one result (--page-size 1: MaxItems=1 and Marker)"
policy=$(python3 -c 'import json,sys; print(json.dumps(open("examples/policies/force-mfa-self-manage.json").read()))')
cat >"$work/req.json" <<EOF
{"PolicyInputList": [$policy],
 "ActionNames": ["iam:CreateAccessKey", "iam:EnableMFADevice", "s3:ListAllMyBuckets"],
 "ResourceArns": ["arn:aws:iam::123456789012:user/alice"],
 "CallerArn": "arn:aws:iam::123456789012:user/alice",
 "ContextEntries": [
   {"ContextKeyName": "aws:username", "ContextKeyValues": ["alice"], "ContextKeyType": "string"},
   {"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]}
EOF
"$aws" iam simulate-custom-policy --endpoint-url "$endpoint" --cli-input-json "file://$work/req.json" --page-size 1 --output json >"$work/cli.json"
"$iameval" simulate --input "$work/req.json" --output json >"$work/sim.json"
same "$work/sim.json" "$work/cli.json"

echo "== aws iam simulate-principal-policy (a user of the loaded account)"
for principal in arn:aws:iam::123456789012:user/alice arn:aws:iam::123456789012:role/Admin; do
  "$aws" iam simulate-principal-policy --endpoint-url "$endpoint" --policy-source-arn "$principal" \
    --action-names s3:GetObject iam:CreateAccessKey ec2:StopInstances \
    --context-entries ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=false,ContextKeyType=boolean \
    --output json >"$work/cli.json"
  cat >"$work/preq.json" <<EOF
{"PolicySourceArn": "$principal", "ActionNames": ["s3:GetObject", "iam:CreateAccessKey", "ec2:StopInstances"],
 "ContextEntries": [{"ContextKeyName": "aws:MultiFactorAuthPresent", "ContextKeyValues": ["false"], "ContextKeyType": "boolean"}]}
EOF
  "$iameval" simulate --account testdata/account/example-account.json --input "$work/preq.json" --output json >"$work/sim.json"
  echo "  $principal"
  same "$work/sim.json" "$work/cli.json"
done

echo "== aws iam simulate-principal-policy on a principal the account does not hold: NoSuchEntity"
if "$aws" iam simulate-principal-policy --endpoint-url "$endpoint" --policy-source-arn arn:aws:iam::123456789012:user/nobody \
    --action-names s3:GetObject >"$work/out" 2>"$work/err"; then
  echo "expected an error, got:"; cat "$work/out"; exit 1
fi
grep -q NoSuchEntity "$work/err" || { echo "expected NoSuchEntity:"; cat "$work/err"; exit 1; }
echo "  $(cat "$work/err" | tr -s '\n' ' ')"

echo "== aws iam get-context-keys-for-custom-policy"
kpolicy=$(python3 -c 'import json,sys; print(json.dumps(open("examples/policies/production-bucket-recent-mfa.json").read()))')
echo "{\"PolicyInputList\": [$kpolicy]}" >"$work/kreq.json"
"$aws" iam get-context-keys-for-custom-policy --endpoint-url "$endpoint" --cli-input-json "file://$work/kreq.json" --output json >"$work/keys.json"
python3 -c 'import json,sys; k=json.load(open(sys.argv[1]))["ContextKeyNames"]; assert any(x.lower()=="aws:multifactorauthage" for x in k), k; print("  ", k)' "$work/keys.json"
echo "== the AWS CLI: ok"
