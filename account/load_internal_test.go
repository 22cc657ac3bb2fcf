package account

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/iameval/iameval/account/accounttest"
	"github.com/iameval/iameval/policy"
)

// TestLoadInParallelAsInOrder: Load parses the inline policies on all
// cores after reading the entities, and reads the dump again one entity at
// a time when that meets any problem. Either way it gives what reading one
// entity at a time gives: the same account, or the same errors in the same
// order (a broken inline policy among other problems before and after it).
func TestLoadInParallelAsInOrder(t *testing.T) {
	good := string(accounttest.CLIDumpWith(300, accounttest.Options{Copies: true, Admins: true}))
	badPolicy := strings.Replace(good, `"Sid": "HomePrefix"`, `"Sid": "HomePrefix", "Effect": "Maybe"`, 3)
	badBoth := strings.Replace(badPolicy, `"UserName": "user7"`, `"UserName": "user7", "Colour": "blue"`, 1)
	badBoth = strings.Replace(badBoth, `"UserName": "user250"`, `"UserName": "user250", "Colour": "red"`, 1)
	// the first inline document as the API gives it, URL-encoded in a
	// string, which is parsed as it is read
	at := strings.Index(good, `"PolicyDocument": {`) + len(`"PolicyDocument": `)
	end := valueEnd([]byte(good), at)
	apiForm := good[:at] + `"` + url.QueryEscape(good[at:end]) + `"` + good[end:]
	// good as two pages: its users in the first, the rest in the second
	cut := strings.Index(good, `    "GroupDetailList"`)
	pageOne := strings.TrimSuffix(good[:cut], ",\n") + "\n, \"IsTruncated\": true, \"Marker\": \"m1\"}"
	pageTwo := "{\n" + good[cut:]
	for _, tc := range []struct {
		name, dump string
		ok         bool
	}{
		{"good", good, true},
		{"broken inline policies", badPolicy, false},
		{"broken inline policies and unknown fields", badBoth, false},
		{"a URL-encoded document among objects", apiForm, true},
		// JSON that is not valid, which the parallel load reads before
		// its check ends (spans): found and said as read in order
		{"a stray comma in a user", strings.Replace(good, `"UserName": "user9",`, `"UserName": "user9",,`, 1), false},
		{"a stray comma in an inline document", strings.Replace(good, `"Sid": "ListHome",`, `"Sid": "ListHome",,`, 1), false},
		{"a missing brace", strings.Replace(good, `"Tags": []`, `"Tags": [}`, 1), false},
		{"cut short", good[:len(good)/2], false},
		{"garbage after the page", good + "x", false},
		// more than one value: the pages of --max-items, one after
		// another or in a list
		{"two pages", pageOne + "\n" + pageTwo, true},
		{"two pages in a list", "[" + pageOne + ",\n" + pageTwo + "]\n", true},
		{"two pages, the first not ended", pageOne[:len(pageOne)-1] + "\n" + pageTwo, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.dump)
			idx := policy.NewLineIndex("dump.json", data)
			inOrder, errInOrder := load("dump.json", data, idx, loadInOrder, LoadOptions{})
			got, err := Load("dump.json", data)
			if (err == nil) != tc.ok || (errInOrder == nil) != tc.ok {
				t.Fatalf("Load error %v, in order %v; want ok %v", err, errInOrder, tc.ok)
			}
			if !tc.ok {
				if err.Error() != errInOrder.Error() {
					t.Errorf("Load says:\n%v\nread in order:\n%v", err, errInOrder)
				}
				if _, perr := load("dump.json", data, idx, loadParallel, LoadOptions{}); !errors.Is(perr, errAgain) {
					t.Errorf("the parallel load of a broken dump gave %v, not errAgain", perr)
				}
				if _, perr := load("dump.json", data, idx, loadWhole, LoadOptions{}); !errors.Is(perr, errAgain) && !errors.Is(perr, errSplit) {
					t.Errorf("the load of a broken dump as one value gave %v, not errAgain or errSplit", perr)
				}
				return
			}
			if !reflect.DeepEqual(got, inOrder) {
				t.Errorf("the account Load made differs from the one read in order")
			}
			// a dump of one value (a page, or a list of pages) is read
			// whole, not split first; one of more values is not
			_, wholeErr := load("dump.json", data, idx, loadWhole, LoadOptions{})
			if oneValue := tc.name != "two pages"; oneValue != (wholeErr == nil) || !oneValue && !errors.Is(wholeErr, errSplit) {
				t.Errorf("one value %v: reading the dump as one value gave %v", oneValue, wholeErr)
			}
			if len(got.Users) != 300 || len(got.Users[0].Inline) == 0 || len(got.Users[0].Inline[0].Statements) == 0 || got.Users[0].Inline[0].Name != "user user0 inline Home" {
				t.Fatalf("the account lacks its inline policies: %+v", got.Users[0])
			}
		})
	}
}

// FuzzLoadInParallelAsInOrder: whatever the input, Load (which reads the
// entities while another core checks the JSON, then parses the documents
// on all cores) gives what reading one entity at a time gives: the same
// error text, or the same account; and neither panics. So does LoadWith
// giving the bytes back (LoadOptions.Release), but that a problem met
// after it gave some back is ErrReadAgain.
func FuzzLoadInParallelAsInOrder(f *testing.F) {
	small := string(accounttest.CLIDumpWith(3, accounttest.Options{Copies: true, Admins: true}))
	for _, s := range []string{small, small[:len(small)/3], strings.Replace(small, `"Effect": "Allow"`, `"Effect": "Allow",,`, 1),
		strings.Replace(small, `]`, `}`, 2), `{"UserDetailList": [{"UserName": "a"]}`, `[{"UserDetailList": []}, {"x": 1]`, `{} {`, ``} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		idx := policy.NewLineIndex("f.json", data)
		inOrder, errInOrder := load("f.json", data, idx, loadInOrder, LoadOptions{})
		got, err := Load("f.json", data)
		if (err == nil) != (errInOrder == nil) {
			t.Fatalf("Load error %v, in order %v", err, errInOrder)
		}
		// giving the bytes back as they are parsed (each zeroed once
		// given) changes nothing but that a problem met after some were
		// is ErrReadAgain
		given := 0
		back := bytes.Clone(data)
		withRelease, errRelease := LoadWith("f.json", back, LoadOptions{Release: func(from, to int) {
			if from != given || to <= from || to > len(back) {
				t.Fatalf("gives back %d to %d, having given back up to %d of %d bytes", from, to, given, len(back))
			}
			clear(back[from:to])
			given = to
		}})
		switch {
		case err == nil && (errRelease != nil || !reflect.DeepEqual(withRelease, got)):
			t.Fatalf("giving back %d bytes: %v, or another account", given, errRelease)
		case err != nil && given > 0 && !errors.Is(errRelease, ErrReadAgain):
			t.Fatalf("a problem after %d bytes given back: %v, want ErrReadAgain", given, errRelease)
		case err != nil && given == 0 && (errRelease == nil || errRelease.Error() != err.Error()):
			t.Fatalf("nothing given back: %v, want %v", errRelease, err)
		}
		if err != nil {
			if err.Error() != errInOrder.Error() {
				t.Fatalf("Load says:\n%v\nread in order:\n%v", err, errInOrder)
			}
			return
		}
		if !reflect.DeepEqual(got, inOrder) {
			t.Fatalf("the account Load made differs from the one read in order")
		}
	})
}

// TestLoadGivesBackWhatItParsed: with LoadOptions.Release, LoadWith gives
// back the dump's bytes as it parses the inline documents, in order and
// each once, never one it reads afterwards (here each is zeroed once given
// back), and makes the account it makes without Release. A problem met
// after it gave bytes back is ErrReadAgain (the caller loads the file
// again without Release, which lists the problems in order); one met
// before any is listed as without Release.
func TestLoadGivesBackWhatItParsed(t *testing.T) {
	good := string(accounttest.CLIDumpWith(2000, accounttest.Options{Copies: true, Admins: true}))
	badAt := func(user string) string {
		at := strings.Index(good, `"UserName": "`+user+`"`)
		return good[:at] + strings.Replace(good[at:], `"Sid": "HomePrefix"`, `"Sid": "HomePrefix", "Effect": "Maybe"`, 1)
	}
	cut := strings.Index(good, `    "GroupDetailList"`)
	pageOne := strings.TrimSuffix(good[:cut], ",\n") + "\n, \"IsTruncated\": true, \"Marker\": \"m1\"}"
	pageTwo := "{\n" + good[cut:]
	dumps := []struct {
		name, dump string
		// again: a problem met after bytes were given back
		again bool
	}{
		{"good", good, false},
		{"two pages", pageOne + "\n" + pageTwo, false},
		{"two pages in a list", "[" + pageOne + ",\n" + pageTwo + "]\n", false},
		{"a broken document at the start", badAt("user0"), false},
		{"a broken document near the end", badAt("user1990"), true},
	}
	files, _ := filepath.Glob("../testdata/account/*.json")
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dumps = append(dumps, struct {
			name, dump string
			again      bool
		}{filepath.Base(f), string(data), false})
	}
	for _, tc := range dumps {
		for _, share := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/share=%v", tc.name, share), func(t *testing.T) {
				want, wantErr := LoadWith("dump.json", []byte(tc.dump), LoadOptions{ShareStatements: share})
				data := []byte(tc.dump)
				given := 0
				opt := LoadOptions{ShareStatements: share, Release: func(from, to int) {
					if from != given || to <= from || to > len(data) {
						t.Errorf("gives back %d to %d, having given back up to %d of %d bytes", from, to, given, len(data))
						return
					}
					clear(data[from:to])
					given = to
				}}
				got, err := LoadWith("dump.json", data, opt)
				switch {
				case tc.again && given == 0:
					t.Fatalf("a problem near the end: %v, and nothing given back", err)
				case wantErr != nil && given > 0:
					if !errors.Is(err, ErrReadAgain) {
						t.Fatalf("a problem after %d bytes given back: %v, want ErrReadAgain", given, err)
					}
				case wantErr != nil:
					if err == nil || err.Error() != wantErr.Error() {
						t.Fatalf("giving back %d bytes: %v\nwant %v", given, err, wantErr)
					}
				case err != nil:
					t.Fatalf("giving back %d bytes: %v", given, err)
				default:
					if !reflect.DeepEqual(got, want) {
						t.Fatalf("the account made giving back %d bytes differs", given)
					}
					if n := len(got.Users); n > 1000 && given < len(data)/2 {
						t.Errorf("%d users: %d of %d bytes given back", n, given, len(data))
					}
				}
			})
		}
	}
}
