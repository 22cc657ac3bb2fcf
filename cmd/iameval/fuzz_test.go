package main

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCommandLine feeds the command-line grammar arbitrary arguments (NUL
// separates them) for every command: nothing panics, the exit code is 0, 1
// or 2, and a flag error is one line on stderr that names the help.
func FuzzCommandLine(f *testing.F) {
	for _, seed := range []string{
		"simulate\x00--policy\x00--action\x00s3:GetObject",
		"simulate\x00--action-names\x00a:b\x00c:d\x00--resource-arns\x00*\x00--policy-input-list\x00{}",
		"simulate\x00-ojson\x00--generate-cli-skeleton\x00input",
		"simulate\x00--cli-input-json\x00{\"ActionNames\":[\"s3:GetObject\"]}\x00--context\x00aws:SourceIp=1.2.3.4",
		"mfa\x00--policy-input-list\x00{\"Version\":\"2012-10-17\",\"Statement\":[]}\x00-o\x00json",
		"lint\x00-\x00--format\x00sarif\x00--\x00-x",
		"test\x00--json\x00-v\x00--run\x00(",
		"version\x00-output=json",
		"serve\x00--policy-set\x00a=example/force-mfa.json\x00--max-body\x001MiB",
		"simulate\x00--context-entries\x00ContextKeyName=a:b,ContextKeyValues=[1,2],ContextKeyType=numericList",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		args := strings.Split(line, "\x00")
		for _, a := range args {
			// --junit writes a file; nothing else writes
			if strings.Contains(a, "junit") || !utf8.ValidString(a) {
				return
			}
			// a directory (/, the repository) is walked whole: slow, and
			// TestFileArguments covers directories
			if isDir(a) || isDir(strings.TrimLeft(a, "-=abcdefghijklmnopqrstuvwxyz")) {
				return
			}
		}
		if args[0] == "serve" {
			// never serve: an address no listener takes (a --listen of
			// the fuzzer's own is then given twice, a usage error)
			args = append(args, "--listen=256.0.0.1:0")
		}
		var out, errb bytes.Buffer
		code := run(args, strings.NewReader(`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`), &out, &errb)
		if code != exitOK && code != exitCheck && code != exitUsage {
			t.Fatalf("%q: exit %d", args, code)
		}
		if s := errb.String(); code == exitUsage && strings.Contains(s, "(run 'iameval help") && strings.Count(s, "\n") != 1 {
			t.Fatalf("%q: a usage error is one line, got %q", args, s)
		}
	})
}

// FuzzPolicyFile feeds the file opener arbitrary files: the text checks
// (byte order marks, UTF-16, YAML, UTF-8), AWS CLI output unwrapping and
// the positions it maps back into the file never panic, and a policy it
// finds parses or is refused with an error.
func FuzzPolicyFile(f *testing.F) {
	for _, seed := range []string{
		`{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*"}}`,
		`{"PolicyVersion":{"Document":"%7B%22Version%22%3A%222012-10-17%22%7D"}}`,
		`{"Policy":"{\"Version\":\"2012-10-17\",\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}}"}`,
		`{"Role":{"AssumeRolePolicyDocument":{"Version":"2012-10-17","Statement":[]}}}`,
		`{"Policy":{"PolicySummary":{"Type":"SERVICE_CONTROL_POLICY"},"Content":"{\"Version\":\"2012-10-17\"}"}}`,
		"\xEF\xBB\xBF{}", "\xFF\xFE{\x00}\x00", "Version: 2012-10-17\n", "---\n", "[{\"Effect\":\"Deny\"}]", "null", "",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := checkText("f.json", data)
		if err != nil {
			return
		}
		d, err := findPolicy(newSrcFile("f.json", text))
		if err != nil || d.notPolicy != "" {
			return
		}
		sim := &simulation{display: map[string]string{}}
		if p, err := d.parse("PolicyInputList.1", sim); err == nil && p == nil {
			t.Fatal("no policy and no error")
		}
	})
}
