package main

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
)

// stdinName is how a file read from stdin is named in messages.
const stdinName = "<stdin>"

// opener opens every file named on the command line, the same way for
// every flag and argument: file:// and fileb:// prefixes (the AWS CLI's) are
// dropped, "-" is stdin (once per run), a directory stands for its policies,
// a UTF-8 byte order mark is dropped, and a UTF-16 file, a YAML file or an
// empty one is refused with a line that says so. Notes (a file skipped, AWS
// CLI output unwrapped) go to notes.
type opener struct {
	stdin io.Reader
	notes io.Writer
	// stdinBy is the flag (or argument) that read stdin, or "".
	stdinBy string
	// inline counts the JSON values given in place of a file, per flag.
	inline map[string]int
}

func newOpener(stdin io.Reader, notes io.Writer) *opener {
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	if notes == nil {
		notes = io.Discard
	}
	return &opener{stdin: stdin, notes: notes}
}

// note writes one line: "iameval: message".
func (o *opener) note(format string, args ...any) {
	fmt.Fprintf(o.notes, "iameval: "+format+"\n", args...)
}

// filePath is the path a file argument names: without the AWS CLI's
// file:// or fileb:// prefix.
func filePath(arg string) string {
	for _, prefix := range []string{"file://", "fileb://"} {
		if strings.HasPrefix(arg, prefix) {
			return arg[len(prefix):]
		}
	}
	return arg
}

// isDir reports whether the file argument arg names a directory.
func isDir(arg string) bool {
	path := filePath(arg)
	if path == "-" {
		return false
	}
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// read reads the file arg names for the flag (or argument) flag, and checks
// that it is text iameval can read: see checkText.
func (o *opener) read(flag, arg string) (*srcFile, error) {
	f, _, err := o.readData(flag, arg, false)
	return f, err
}

// readMapped is read for a reader that keeps none of the file's bytes: a
// regular file is read into memory mapped outside the Go heap (mapFile)
// where it can be. release, never nil, gives that memory back: after it,
// f's bytes must not be read.
func (o *opener) readMapped(flag, arg string) (f *srcFile, release func(), err error) {
	return o.readData(flag, arg, true)
}

// readData is read, or readMapped when mapped; release is never nil, and
// on an error the memory is given back already.
func (o *opener) readData(flag, arg string, mapped bool) (_ *srcFile, release func(), _ error) {
	release = func() {}
	// inMap says data lies in memory mapFile mapped
	inMap := false
	path := filePath(arg)
	var data []byte
	var err error
	if t := strings.TrimSpace(arg); (strings.HasPrefix(t, "{") || strings.HasPrefix(t, "[")) && path == arg {
		// the JSON itself, as the AWS CLI takes a parameter's value
		if o.inline == nil {
			o.inline = map[string]int{}
		}
		o.inline[flag]++
		return newSrcFile(fmt.Sprintf("<%s JSON #%d>", flag, o.inline[flag]), []byte(arg)), release, nil
	}
	if path == "-" {
		switch o.stdinBy {
		case "":
		case flag:
			return nil, release, fmt.Errorf("%s - is given twice: stdin can be read only once", flag)
		default:
			return nil, release, fmt.Errorf("%s and %s both read stdin (-): only one file can come from stdin", o.stdinBy, flag)
		}
		o.stdinBy = flag
		path = stdinName
		data, err = io.ReadAll(o.stdin)
	} else {
		if st, serr := os.Stat(path); serr == nil && st.IsDir() {
			return nil, release, fmt.Errorf("%s %s: a directory; %s takes one file", flag, path, flag)
		}
		ok := false
		if mapped {
			var unmap func()
			if data, unmap, ok = mapFile(path); ok {
				release, inMap = unmap, true
			}
		}
		if !ok {
			data, err = os.ReadFile(path)
		}
	}
	if err != nil {
		return nil, release, err
	}
	data, err = checkText(path, data)
	if err != nil {
		// the error holds copies of what it quotes
		release()
		return nil, func() {}, err
	}
	f := newSrcFile(path, data)
	f.mapped = inMap
	return f, release, nil
}

// checkText drops a UTF-8 byte order mark (so positions are those an editor
// shows), and refuses a UTF-16 file and a YAML one.
func checkText(name string, data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}):
		// (before UTF-16's: the little-endian mark starts as UTF-16's)
		return nil, fmt.Errorf("%s: the file is UTF-32 (it starts with a UTF-32 byte order mark); IAM policies and iameval's input must be UTF-8: save it as UTF-8", name)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return nil, fmt.Errorf("%s: the file is UTF-16 (it starts with a UTF-16 byte order mark); IAM policies and iameval's input must be UTF-8: save it as UTF-8", name)
	case looksLikeUTF16(data):
		return nil, fmt.Errorf("%s: the file looks like UTF-16 (every other byte is zero); IAM policies and iameval's input must be UTF-8: save it as UTF-8", name)
	case bytes.IndexByte(data[:min(len(data), 64)], 0) >= 0:
		return nil, fmt.Errorf("%s: the file holds NUL bytes (UTF-32 text, or not text at all); IAM policies and iameval's input must be UTF-8 JSON", name)
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		f := newSrcFile(name, data)
		return nil, f.errorf(off, policy.CodeInvalidUTF8, "the file is not UTF-8 text (byte 0x%02x): IAM policies are UTF-8 JSON", data[off])
	}
	if off, ok := looksLikeYAML(data); ok {
		f := newSrcFile(name, data)
		return nil, f.errorf(off, policy.CodeInvalidJSON, "this looks like YAML; IAM policies are JSON (convert it, e.g. yq -o json %s)", name)
	}
	return data, nil
}

// looksLikeUTF16 reports whether data starts as UTF-16 text without a byte
// order mark: ASCII characters with a zero byte before or after each.
func looksLikeUTF16(data []byte) bool {
	n := min(len(data), 64) &^ 1
	if n < 4 {
		return false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	return even == n/2 && odd == 0 || odd == n/2 && even == 0
}

// looksLikeYAML reports whether data, which is not JSON, starts as YAML
// does: a "---" line, or a "key:" line whose key is a plain word (Version:,
// Statement:, - Effect: ...), and the offset of that line.
func looksLikeYAML(data []byte) (int, bool) {
	off := 0
	for off < len(data) {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data) - off
		}
		line := strings.TrimSpace(string(data[off : off+end]))
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			off += end + 1
			continue
		case line == "---" || strings.HasPrefix(line, "--- "):
			return off, true
		}
		line = strings.TrimPrefix(line, "- ")
		key, _, ok := strings.Cut(line, ":")
		if !ok || key == "" || strings.ContainsAny(key[:1], `{["'`) {
			return 0, false
		}
		for _, r := range key {
			if !(r == '_' || r == '-' || r == '.' || r == ' ' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return 0, false
			}
		}
		return off, true
	}
	return 0, false
}

// policyDoc is one policy found in a file: the whole file, or the member
// of AWS CLI output that holds it.
type policyDoc struct {
	file *srcFile
	// value is the policy (an object, or a string holding its text) when
	// it sits inside the file; whole says the file is the policy.
	value gjson.Result
	whole bool
	// notPolicy says why a whole file is not a policy ("" when it is one,
	// or may be): a directory skips such files, a file named alone is
	// checked as a policy, and its errors say why not.
	notPolicy string
	// from names the AWS CLI output the policy came from ("aws iam
	// get-role output"), field its member ("Role.AssumeRolePolicyDocument").
	from, field string
	// kind is the kind of policy the output says it is, when known.
	kind    policy.Kind
	hasKind bool
}

// text returns the policy's text and, for a policy inside the file, the map
// from its offsets to the file's (nil for a whole file).
func (d *policyDoc) text() ([]byte, func(int) int, error) {
	if d.whole {
		return d.file.data, nil, nil
	}
	return d.file.policyText(d.value, d.field)
}

// parse parses the policy and names it id; sim records how to show it.
func (d *policyDoc) parse(id string, sim *simulation) (*policy.Policy, error) {
	if d.whole {
		p, err := policy.Parse(d.file.name, d.file.data)
		if err != nil {
			return nil, err
		}
		p.Name = id
		sim.display[id] = d.file.name
		return p, nil
	}
	p, err := d.file.parsePolicyAs(d.value, id, d.field, sim)
	if err != nil {
		return nil, err
	}
	sim.display[id] = d.file.name
	return p, nil
}

// checkJSON reports a file that is not one JSON value: empty, or invalid
// JSON, at the place it stops being JSON.
func (f *srcFile) checkJSON() error {
	if !gjson.ValidBytes(f.data) {
		return f.jsonError()
	}
	return nil
}

// findPolicy finds the policy in a file: the file itself, or the policy
// member of the output of an AWS CLI command that prints one.
func findPolicy(f *srcFile) (policyDoc, error) {
	d := policyDoc{file: f, whole: true}
	if err := f.checkJSON(); err != nil {
		return d, err
	}
	root := gjson.ParseBytes(f.data)
	if root.IsArray() && policyLike(root.Get("0")) {
		return d, nil // statements or policies in a list: the parser says what is wrong
	}
	if !root.IsObject() {
		d.notPolicy = "a JSON " + jsonTypeName(root) + ", not an object"
		return d, nil
	}
	if has(root, "Statement") || has(root, "Version") || has(root, "Id") {
		return d, nil
	}
	inside := func(v gjson.Result, from, field string) (policyDoc, error) {
		d.whole, d.value, d.from, d.field = false, v, from, field
		return d, nil
	}
	withKind := func(k policy.Kind) {
		d.kind, d.hasKind = k, true
	}
	if pv := root.Get("PolicyVersion"); pv.IsObject() && pv.Get("Document").Exists() {
		return inside(pv.Get("Document"), "aws iam get-policy-version output", "PolicyVersion.Document")
	}
	if p := root.Get("Policy"); p.Type == gjson.String {
		withKind(policy.KindResource)
		return inside(p, "aws s3api get-bucket-policy output", "Policy")
	} else if p.IsObject() && p.Get("Content").Exists() {
		switch t := p.Get("PolicySummary.Type").String(); t {
		case "SERVICE_CONTROL_POLICY":
			withKind(policy.KindSCP)
		case "RESOURCE_CONTROL_POLICY":
			withKind(policy.KindRCP)
		case "":
		default:
			d.notPolicy = "an AWS Organizations " + t + ", not an IAM policy"
			return d, nil
		}
		return inside(p.Get("Content"), "aws organizations describe-policy output", "Policy.Content")
	}
	if r := root.Get("Role"); r.IsObject() && r.Get("AssumeRolePolicyDocument").Exists() {
		withKind(policy.KindTrust)
		return inside(r.Get("AssumeRolePolicyDocument"), "aws iam get-role output", "Role.AssumeRolePolicyDocument")
	}
	if doc := root.Get("PolicyDocument"); doc.Exists() {
		for _, c := range []struct{ key, cmd string }{{"RoleName", "get-role-policy"}, {"UserName", "get-user-policy"}, {"GroupName", "get-group-policy"}} {
			if has(root, c.key) {
				return inside(doc, "aws iam "+c.cmd+" output", "PolicyDocument")
			}
		}
	}
	switch {
	case has(root, "ActionNames") || has(root, "PolicyInputList"):
		d.notPolicy = "a simulate request document"
	case has(root, "UserDetailList") || has(root, "RoleDetailList") || has(root, "Policies"):
		d.notPolicy = "an account authorization dump"
	case has(root, "cases"):
		d.notPolicy = "a test suite"
	case policyLike(root):
		// a policy with a misspelt element (statement, "Effect" at the
		// top): never skipped, so the parser says what is wrong
		return d, nil
	default:
		d.notPolicy = "no Statement"
	}
	return d, nil
}

// policyLike reports whether v is meant as a policy, even one AWS would
// refuse (policy.LooksLikePolicy): such a file is parsed and refused, never
// skipped.
func policyLike(v gjson.Result) bool { return policy.LooksLikePolicy(v) }

func has(obj gjson.Result, key string) bool {
	found := false
	obj.ForEach(func(k, _ gjson.Result) bool {
		found = k.Str == key
		return !found
	})
	return found
}

// jsonTypeName names the JSON type of v for messages.
func jsonTypeName(v gjson.Result) string { return iamapi.JSONTypeName(v) }

// noteUnwrapped says which member of AWS CLI output is used.
func (o *opener) noteUnwrapped(d *policyDoc) {
	if d.from == "" {
		return
	}
	how := ""
	if d.value.Type == gjson.String && iamapi.IsURLEncoded(d.value.Str) {
		how = " (URL-decoded)"
	}
	o.note("%s: %s: using %s%s", d.file.name, d.from, d.field, how)
}

// jsonFiles lists the *.json files under dir, recursively, in lexical
// order, without hidden directories and *.iamtest.json suites.
func jsonFiles(dir string) ([]string, error) {
	return walkFiles(dir, func(name string) bool {
		return strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".iamtest.json")
	})
}

// walkFiles lists the files under dir whose name want accepts, recursively,
// in lexical order, without hidden directories.
func walkFiles(dir string, want func(name string) bool) ([]string, error) {
	var out []string
	root := dir
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a symlink, not even its root's: with a
		// trailing separator the root is the directory it points to (a
		// Kubernetes ConfigMap volume, a deploy's "current" link)
		root = dir + string(filepath.Separator)
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir():
			if p != root && strings.HasPrefix(d.Name(), ".") {
				return fs.SkipDir
			}
		case want(d.Name()):
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// policies opens the policies a file argument names: one file (a policy,
// or AWS CLI output holding one), or a directory's policies. In a
// directory, JSON that is not a policy is skipped with a note; a directory
// without a policy is an error.
func (o *opener) policies(flag, arg string) ([]policyDoc, error) {
	if !isDir(arg) {
		f, err := o.read(flag, arg)
		if err != nil {
			return nil, err
		}
		d, err := findPolicy(f)
		if err != nil {
			return nil, err
		}
		o.noteUnwrapped(&d)
		return []policyDoc{d}, nil
	}
	dir := filePath(arg)
	files, err := jsonFiles(dir)
	if err != nil {
		return nil, err
	}
	var out []policyDoc
	for _, name := range files {
		f, err := o.read(flag, name)
		if err != nil {
			return nil, err
		}
		d, err := findPolicy(f)
		if err != nil {
			return nil, err
		}
		if d.notPolicy != "" {
			o.note("%s: not a policy (%s), skipped", name, d.notPolicy)
			continue
		}
		o.noteUnwrapped(&d)
		out = append(out, d)
	}
	if len(out) == 0 {
		return nil, noPolicyError(flag, dir, len(files))
	}
	return out, nil
}

// document reports whether d, which is no policy, is a document of another
// of iameval's inputs: an account authorization dump, a simulate request
// document or a test suite.
func (d policyDoc) document() bool {
	switch d.notPolicy {
	case "a simulate request document", "an account authorization dump", "a test suite":
		return true
	}
	return false
}

func noPolicyError(flag, dir string, files int) error {
	what := "no *.json files"
	switch {
	case files == 1:
		what = "one *.json file, not a policy"
	case files > 1:
		what = strconv.Itoa(files) + " *.json files, none a policy"
	}
	if flag != "" {
		flag += " "
	}
	return fmt.Errorf("%s%s: a directory with no policy (%s)", flag, dir, what)
}

// onePolicy opens a flag that takes a single policy: a file, or a
// directory holding exactly one.
func (o *opener) onePolicy(flag, arg string) (policyDoc, error) {
	docs, err := o.policies(flag, arg)
	if err != nil {
		return policyDoc{}, err
	}
	if len(docs) > 1 {
		var names []string
		for _, d := range docs {
			names = append(names, d.file.name)
		}
		return policyDoc{}, fmt.Errorf("%s %s: the directory holds %d policies (%s); %s takes one", flag, filePath(arg), len(docs), strings.Join(names, ", "), flag)
	}
	return docs[0], nil
}
