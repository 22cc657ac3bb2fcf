package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tidwall/gjson"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/evaluator"
	"github.com/iameval/iameval/iamapi"
	"github.com/iameval/iameval/policy"
	"github.com/iameval/iameval/suite"
)

// Source lists what a State is loaded from. Paths are read as given
// (relative paths against the working directory), on every load.
type Source struct {
	// PolicySets are the named policy sets the decision API decides
	// against.
	PolicySets []SetSource
	// Accounts are account dumps: the output of aws iam
	// get-account-authorization-details (one page, or several).
	Accounts []string
}

// SetSource is one named policy set: NAME=PATH on the command line. PATH is
//
//   - a policy file: one identity policy;
//   - a directory: every *.json file under it (recursively, in lexical
//     order, hidden directories and *.iamtest.json files left out) that
//     is a policy, each an identity policy: as "iameval simulate --policy
//     DIR" reads one, JSON that is not a policy (not an object, or an
//     object with no Statement and nothing else a policy has, as a config
//     file) is skipped (State.Skipped), and a file meant as a policy that
//     does not parse fails the load;
//   - a policy set file (a test suite's "policies" and "sets", as
//     suite.PolicySets reads it): each set named in it becomes the set
//     NAME/SETNAME, and a file without "sets" the one set NAME/policies.
type SetSource struct {
	Name string
	Path string
}

// Set is one compiled policy set of a State.
type Set struct {
	// Name is the set's name in requests: NAME, or NAME/SETNAME for a set
	// of a policy set file.
	Name string
	// Engine decides the set's requests; it is immutable and safe for
	// concurrent use.
	Engine *evaluator.Engine
	// Path is the source path the set was loaded from.
	Path string
	// Kind is "file", "directory" or "suite": what Path named.
	Kind string
	// Files are the files read for the set, in the order read.
	Files []string
	// Policies is the number of policy documents in the set.
	Policies int
	// Digest is the hex SHA-256 of the set's files (each file's path and
	// contents), so two loads of identical files give the same digest.
	Digest string
}

// State is one loaded generation of everything requests decide against. A
// State is never changed once a Server publishes it: a request reads one
// State from start to end, so it sees either the old sets or the new ones,
// never a mix.
type State struct {
	// Generation counts successful loads: Load returns generation 1, and a
	// Server numbers each state it swaps in one more than the last.
	Generation uint64
	// LoadedAt is when the load finished.
	LoadedAt time.Time
	// Sets are the policy sets by name.
	Sets map[string]*Set
	// Accounts are the loaded account dumps, in the order of
	// Source.Accounts.
	Accounts []*account.Account
	// AccountFiles are the paths of Accounts, in the same order.
	AccountFiles []string
	// Skipped are the files of directory sets that are JSON but not
	// policies, left out, in the order read.
	Skipped []Skipped
}

// Skipped is a file of a directory set left out: why says what it is.
type Skipped struct {
	Path, Why string
}

// SetNames returns the names of st's sets in lexical order.
func (st *State) SetNames() []string {
	names := make([]string, 0, len(st.Sets))
	for n := range st.Sets {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// files returns every file st was read from.
func (st *State) files() []string {
	var out []string
	for _, s := range st.Sets {
		out = append(out, s.Files...)
	}
	return append(out, st.AccountFiles...)
}

// Load reads and compiles everything src names. Any problem is an error
// naming the file (and, for policies, the position); then no State is
// returned. Set names must be unique, non-empty and free of white space;
// at least one policy set or account is required.
func Load(src Source) (*State, error) {
	if len(src.PolicySets) == 0 && len(src.Accounts) == 0 {
		return nil, errors.New("nothing to load: give at least one policy set or account")
	}
	st := &State{Generation: 1, Sets: map[string]*Set{}}
	for _, ss := range src.PolicySets {
		if err := checkSetName(ss.Name); err != nil {
			return nil, err
		}
		if ss.Path == "" {
			return nil, fmt.Errorf("policy set %q: no path", ss.Name)
		}
		sets, err := loadSet(ss, &st.Skipped)
		if err != nil {
			return nil, err
		}
		for _, s := range sets {
			if _, dup := st.Sets[s.Name]; dup {
				return nil, fmt.Errorf("policy set %q: the name is given twice", s.Name)
			}
			st.Sets[s.Name] = s
		}
	}
	for _, path := range src.Accounts {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		if text := bytes.TrimSpace(data); len(text) == 0 || text[0] != '{' && text[0] != '[' {
			return nil, fmt.Errorf("%s: not an account dump (want the JSON of aws iam get-account-authorization-details)", path)
		}
		a, err := account.Load(path, data)
		if err != nil {
			return nil, err
		}
		st.Accounts = append(st.Accounts, a)
		st.AccountFiles = append(st.AccountFiles, path)
	}
	st.LoadedAt = time.Now()
	return st, nil
}

// checkSetName refuses names a request could not name, or could confuse.
func checkSetName(name string) error {
	switch {
	case name == "":
		return errors.New("a policy set needs a name: NAME=PATH")
	case strings.ContainsFunc(name, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '=' }):
		return fmt.Errorf("policy set %q: a name holds no white space, control character or '='", name)
	}
	return nil
}

// loadSet reads one SetSource: one set, or one per set of a policy set
// file. The files of a directory that are not policies are added to
// skipped.
func loadSet(ss SetSource, skipped *[]Skipped) ([]*Set, error) {
	info, err := os.Stat(ss.Path)
	if err != nil {
		return nil, fmt.Errorf("policy set %q: %w", ss.Name, err)
	}
	d := newDigest()
	if info.IsDir() {
		files, err := policyFiles(ss.Path)
		if err != nil {
			return nil, fmt.Errorf("policy set %q: %w", ss.Name, err)
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("policy set %q: %s holds no *.json policy", ss.Name, ss.Path)
		}
		var ps evaluator.PolicySet
		var read []string
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				return nil, err
			}
			if why := notPolicy(data); why != "" {
				*skipped = append(*skipped, Skipped{Path: f, Why: why})
				continue
			}
			d.add(f, data)
			p, err := policy.Parse(f, data)
			if err != nil {
				return nil, err
			}
			ps.Identity = append(ps.Identity, p)
			read = append(read, f)
		}
		if len(read) == 0 {
			return nil, fmt.Errorf("policy set %q: %s holds no *.json policy (%d JSON files, none a policy)", ss.Name, ss.Path, len(files))
		}
		return compileSet(ss.Name, ss, "directory", read, ps, d)
	}
	data, err := os.ReadFile(ss.Path)
	if err != nil {
		return nil, fmt.Errorf("policy set %q: %w", ss.Name, err)
	}
	d.add(ss.Path, data)
	root := gjson.ParseBytes(bytes.TrimSpace(data))
	if root.IsObject() && root.Get("policies").IsObject() && !root.Get("Statement").Exists() {
		return loadSuite(ss, data, d)
	}
	p, err := policy.Parse(ss.Path, data)
	if err != nil {
		return nil, err
	}
	return compileSet(ss.Name, ss, "file", []string{ss.Path}, evaluator.PolicySet{Identity: []*policy.Policy{p}}, d)
}

// loadSuite reads a policy set file: every set it defines, compiled.
func loadSuite(ss SetSource, data []byte, d *digest) ([]*Set, error) {
	files := []string{ss.Path}
	base := filepath.Dir(ss.Path)
	names, sets, err := suite.PolicySets(ss.Path, data, func(name string) ([]byte, string, error) {
		p := filepath.Join(base, name)
		b, err := os.ReadFile(p)
		if err == nil {
			d.add(p, b)
			files = append(files, p)
		}
		return b, p, err
	})
	if err != nil {
		return nil, err
	}
	var out []*Set
	digest := d.sum()
	for _, n := range names {
		s, err := compileSet(ss.Name+"/"+n, ss, "suite", files, sets[n], nil)
		if err != nil {
			return nil, err
		}
		s[0].Digest = digest
		out = append(out, s...)
	}
	return out, nil
}

// compileSet compiles one set; d, when not nil, gives its digest.
func compileSet(name string, ss SetSource, kind string, files []string, ps evaluator.PolicySet, d *digest) ([]*Set, error) {
	e, err := evaluator.Compile(ps)
	if err != nil {
		return nil, fmt.Errorf("policy set %q: %w", name, err)
	}
	s := &Set{Name: name, Engine: e, Path: ss.Path, Kind: kind, Files: files, Policies: len(e.Policies())}
	if d != nil {
		s.Digest = d.sum()
	}
	return []*Set{s}, nil
}

// notPolicy says why a directory's file is JSON but not a policy, or
// returns "" when it is one or may be: as "iameval simulate --policy DIR"
// decides, a file that is not JSON, or that policy.LooksLikePolicy (a
// misspelt Statement, a statement alone, AWS CLI output holding a policy)
// is parsed, so that its errors fail the load: a Deny skipped would turn
// answers into allowed.
func notPolicy(data []byte) string {
	if !gjson.ValidBytes(data) {
		return ""
	}
	root := gjson.ParseBytes(data)
	switch {
	case root.IsArray():
		if policy.LooksLikePolicy(root) {
			return ""
		}
		return "a JSON list, not an object"
	case !root.IsObject():
		return "a JSON " + iamapi.JSONTypeName(root) + ", not an object"
	case root.Get("Statement").Exists() || root.Get("Version").Exists() || root.Get("Id").Exists() || policy.LooksLikePolicy(root):
		return ""
	}
	return "an object with no Statement"
}

// policyFiles lists the *.json files under dir, recursively, in lexical
// order, without hidden directories and test suites.
func policyFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(followable(dir), func(p string, e fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case e.IsDir():
			if p != followable(dir) && strings.HasPrefix(e.Name(), ".") {
				return fs.SkipDir
			}
		case isPolicyFileName(e.Name()):
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// followable returns dir so that filepath.WalkDir walks what it names
// when it is a symlink to a directory (WalkDir follows no symlink, its root
// included, unless the root ends in a separator).
func followable(dir string) string {
	if strings.HasSuffix(dir, string(filepath.Separator)) {
		return dir
	}
	return dir + string(filepath.Separator)
}

// isPolicyFileName reports whether a directory's file named name is one of
// its policies.
func isPolicyFileName(name string) bool {
	return strings.HasSuffix(name, ".json") && !strings.HasSuffix(name, ".iamtest.json") && !strings.HasPrefix(name, ".")
}

// digest hashes the files of a set.
type digest struct{ b []byte }

func newDigest() *digest { return &digest{} }

func (d *digest) add(path string, data []byte) {
	h := sha256.New()
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(data)
	d.b = h.Sum(d.b)
}

func (d *digest) sum() string {
	s := sha256.Sum256(d.b)
	return hex.EncodeToString(s[:])
}
