// Package iamapi is the codec of AWS IAM's policy simulator API, shared by
// "iameval simulate" (the AWS CLI's request documents) and "iameval serve"
// (the IAM Query API the AWS SDKs and the AWS CLI speak):
//
//   - requests: SimulateCustomPolicy, SimulatePrincipalPolicy,
//     GetContextKeysForCustomPolicy and GetContextKeysForPrincipalPolicy, read
//     from the JSON document "aws iam simulate-custom-policy
//     --cli-input-json" takes (ParseDocument) or from the form-encoded
//     parameters of the Query API (ParseForm), into one Request;
//   - deciding: a Request's actions x resources, decided as AWS's
//     simulator decides them (Simulation), one implementation for every
//     front end;
//   - responses: the EvaluationResult shape, as JSON (the AWS CLI's output)
//     and as the Query API's XML in IAM's namespace (WriteXML), with
//     pagination (MaxItems, Marker);
//   - errors: IAM's ErrorResponse, with the codes and HTTP status codes the
//     IAM API reference lists for these actions (Error).
//
// The shapes and member names are those of the IAM API Reference
// (https://docs.aws.amazon.com/IAM/latest/APIReference/API_SimulateCustomPolicy.html
// and its siblings); the Query protocol's encoding (list members as
// Name.member.N, maps as entry/key/value) is that of AWS's Query protocol.
package iamapi
