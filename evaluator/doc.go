// Package evaluator decides authorization requests the way AWS does.
//
// Compile turns a PolicySet (identity policies, a permissions boundary,
// session policies, a resource-based policy and its owner, and the SCPs and
// RCPs of each organization level) into an immutable Engine; Engine.Evaluate
// decides one request.Context and returns a Decision: allowed, explicitDeny or
// implicitDeny, with the statements that decided it, the condition keys the
// policies referenced but the request lacked, and the outcome per policy type.
//
// The decision procedure (AWS's policy evaluation logic):
//
//  1. Any matching Deny in any applicable policy — SCPs, RCPs, the resource
//     policy, identity policies, the boundary, session policies — is an
//     explicit deny. A resource-policy Deny with NotPrincipal applies to
//     every caller that has a permissions boundary.
//  2. SCPs: every level from the root down must have a matching Allow;
//     otherwise the request is denied (implicitDeny, with
//     Detail.Organizations recording the SCP deny).
//  3. RCPs: RCPFullAWSAccess is attached at every level and cannot be
//     detached, and custom RCPs may only Deny, so a level never denies
//     implicitly: only RCP Denies (step 1) matter.
//  4. Same account: a resource-policy Allow that names the caller itself
//     (user ARN, session ARN, federated-user ARN) or "*" grants on its own;
//     one naming the caller's role still needs the boundary and session
//     policies to allow; one naming only the account needs an identity
//     Allow too. Otherwise an identity-policy Allow is needed. Role trust
//     policies and KMS key policies must allow the caller themselves.
//  5. The permissions boundary, if any, must allow; session policies, if
//     any, must allow; a federated-user session without a session policy
//     gets nothing.
//  6. Cross account: the resource policy must allow the caller (the
//     account counts) and the caller's own side (identity, boundary,
//     session) must allow too.
//
// The account root user needs no identity Allow in its own account but is
// subject to explicit denies, SCPs and RCPs.
//
// A request without a caller (an empty Principal) is decided as AWS's policy
// simulator decides a request without CallerArn: on the identity-side
// policies only, never cross-account; a resource policy then cannot be
// decided and the request is denied (RuleCallerRequired). An anonymous caller
// (request.Anonymous) is no principal of an account: identity policies,
// boundaries, session policies and SCPs do not apply to it, not even their
// Denies; only a resource policy naming everyone grants to it, and RCPs
// (on the resource's side) still apply. The same holds for a service
// principal (ec2.amazonaws.com) and for a web-identity or SAML caller of
// sts:AssumeRoleWithWebIdentity or sts:AssumeRoleWithSAML, named by its
// identity provider (request.PrincipalWebIdentity, request.PrincipalSAML):
// the trust policy grants them through its "Service" and "Federated"
// entries, a Deny in it still wins, they are never cross-account, and
// without a resource policy that allows them they are denied
// (RuleServiceOrFederatedHasNoIdentity). Each Principal element type names
// only its kind of caller: an "AWS" entry never names a service or a
// provider. Where a rule rather than a statement decided, Decision.Rule
// names it.
//
// [policy evaluation logic]: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
package evaluator
