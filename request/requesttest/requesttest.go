// Package requesttest builds the requests the tests and benchmarks of
// several packages share.
package requesttest

import "github.com/iameval/iameval/request"

// User is the caller of the realistic request.
const User = "arn:aws:iam::123456789012:user/alice"

// SetRealistic sets on c the 14 keys a signed S3 request carries: one of
// each scalar type the services send (ip, date, numeric, boolean),
// strings, and a stringList. The error is Set's (none for these values).
func SetRealistic(c *request.Context) error {
	for _, err := range [...]error{
		c.Set("aws:SourceIp", request.TypeIP, "203.0.113.7"),
		c.Set("aws:CurrentTime", request.TypeDate, "2024-05-01T12:00:00Z"),
		c.Set("aws:EpochTime", request.TypeNumeric, "1714564800"),
		c.Set("aws:SecureTransport", request.TypeBoolean, "true"),
		c.Set("aws:RequestedRegion", request.TypeString, "us-east-1"),
		c.Set("aws:userid", request.TypeString, "AIDAJQABLZS4A3QDU576Q"),
		c.Set("aws:username", request.TypeString, "alice"),
		c.Set("aws:PrincipalArn", request.TypeString, User),
		c.Set("aws:PrincipalAccount", request.TypeString, "123456789012"),
		c.Set("aws:PrincipalTag/team", request.TypeString, "blue"),
		c.Set("aws:TagKeys", request.TypeStringList, "team", "project"),
		c.Set("aws:MultiFactorAuthPresent", request.TypeBoolean, "true"),
		c.Set("aws:MultiFactorAuthAge", request.TypeNumeric, "300"),
		c.Set("s3:prefix", request.TypeString, "reports/2024/"),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}
