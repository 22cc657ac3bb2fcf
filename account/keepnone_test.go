package account_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unsafe"

	"github.com/iameval/iameval/account"
	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// TestLoadKeepsNoneOfTheInput pins what Load's doc promises: the account
// holds no reference to the dump's bytes (Load reads them in place, without
// a copy, so a string it kept without its own copy would change with the
// caller's buffer and keep all of it alive; iameval reads the file into
// memory outside the heap, and gives it back once the account is made). Every string and byte slice
// reachable from the account, exported or not, must lie outside data,
// with the options mfa --account loads with as without.
func TestLoadKeepsNoneOfTheInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"plain", accounttest.CLIDump(60)},
		{"copies", accounttest.CLIDumpWith(60, accounttest.Options{Copies: true, Admins: true})},
		{"pages as a list", []byte(`[` + string(accounttest.CLIDump(30)) + `]`)},
	} {
		for _, opt := range []account.LoadOptions{{}, {ShareStatements: true}} {
			t.Run(fmt.Sprintf("%s/share=%v", tc.name, opt.ShareStatements), func(t *testing.T) {
				keepsNone(t, tc.data, opt, 1000)
			})
		}
	}
	// and every dump of the test data that loads: escapes, URL-encoded
	// documents, pages, duplicates
	files, _ := filepath.Glob("../testdata/account/*.json")
	loaded := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := account.Load(file, data); err != nil {
			continue
		}
		loaded++
		for _, opt := range []account.LoadOptions{{}, {ShareStatements: true}} {
			t.Run(fmt.Sprintf("%s/share=%v", filepath.Base(file), opt.ShareStatements), func(t *testing.T) {
				keepsNone(t, data, opt, 1)
			})
		}
	}
	if loaded < 10 {
		t.Fatalf("only %d of the %d dumps of testdata/account load", loaded, len(files))
	}
}

// keepsNone checks that no string or byte slice reachable from the account
// LoadWith makes of data lies in data.
func keepsNone(t *testing.T, data []byte, opt account.LoadOptions, atLeast int) {
	t.Helper()
	acct, err := account.LoadWith("dump.json", data, opt)
	if err != nil {
		t.Fatal(err)
	}
	lo := uintptr(unsafe.Pointer(unsafe.SliceData(data)))
	hi := lo + uintptr(len(data))
	in := func(p unsafe.Pointer, n int) bool {
		a := uintptr(p)
		return n > 0 && a < hi && a+uintptr(n) > lo
	}
	seen := map[uintptr]bool{}
	strs := 0
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.String:
			s := v.String()
			strs++
			if in(unsafe.Pointer(unsafe.StringData(s)), len(s)) {
				t.Errorf("%s = %q lies in the dump's bytes", path, s)
			}
		case reflect.Slice:
			if v.Type().Elem().Kind() == reflect.Uint8 && v.Len() > 0 && in(v.UnsafePointer(), v.Len()) {
				t.Errorf("%s ([]byte, %d bytes) lies in the dump's bytes", path, v.Len())
			}
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), path+"[]")
			}
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem(), path)
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Map:
			it := v.MapRange()
			for it.Next() {
				walk(it.Key(), path+"{key}")
				walk(it.Value(), path+"{}")
			}
		}
	}
	walk(reflect.ValueOf(acct), "account")
	if strs < atLeast {
		t.Fatalf("walked only %d strings: the walk does not reach the account's contents", strs)
	}
}

// TestLoadMaxErrors pins the bound on a dump's problems (README, "Limits
// and hostile input"): at most policy.MaxErrors are listed, the first
// found, and one last problem counts the rest. A walkthrough's find: a 3 MB
// dump of a million empty users made two million problems (765 MB).
func TestLoadMaxErrors(t *testing.T) {
	users := func(n int, user func(i int) string) string {
		var b strings.Builder
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(user(i))
		}
		return `{"UserDetailList":[` + b.String() + `]}`
	}
	for _, tc := range []struct {
		name string
		user func(i int) string
	}{
		// a problem of each entity as it is read (errorf)
		{"empty users", func(int) string { return `{"UserName":"","Arn":"arn:aws:iam::123456789012:user/u","UserId":"AIDA"}` }},
		// a problem of each reference, checked once all are read
		{"a group not in the dump", func(i int) string {
			return fmt.Sprintf(`{"UserName":"u%d","Arn":"arn:aws:iam::123456789012:user/u%d","UserId":"AIDA%d","GroupList":["missing"]}`, i, i, i)
		}},
	} {
		for _, n := range []int{10, 3000} {
			for _, opt := range []account.LoadOptions{{}, {ShareStatements: true}} {
				_, err := account.LoadWith("dump.json", []byte(users(n, tc.user)), opt)
				errs, ok := err.(account.Errors)
				if !ok {
					t.Fatalf("%s, %d users: %v", tc.name, n, err)
				}
				if n < policy.MaxErrors {
					if len(errs) != n {
						t.Errorf("%s, %d users: %d problems, want %d", tc.name, n, len(errs), n)
					}
					continue
				}
				if len(errs) != policy.MaxErrors+1 || !strings.Contains(errs[len(errs)-1].Error(), fmt.Sprintf("%d more problems are not listed", n-policy.MaxErrors)) {
					t.Errorf("%s, %d users: %d problems, the last %v; want %d and a count of the rest", tc.name, n, len(errs), errs[len(errs)-1], policy.MaxErrors+1)
				}
			}
		}
	}
}
