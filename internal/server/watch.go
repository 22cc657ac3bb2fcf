package server

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// WatchDebounce is how long Watch waits after the last change of a burst
// (an editor's save, a checkout) before it reloads.
const WatchDebounce = 200 * time.Millisecond

// Watch reloads the Server when the files of its sources change, until ctx
// ends. It watches the directory that holds each source file (editors save
// by writing a new file and renaming it over the old one, which a watch on
// the file itself would lose), every directory under each directory source,
// and the directories of the files a policy set file names; it keeps the
// events that concern those files (a directory source: any *.json file or
// directory under it), waits until WatchDebounce passes without another,
// then calls Reload. It also follows symlinks: every symlink met on the way
// to a source or a file it was loaded from (as in a Kubernetes ConfigMap
// volume, policy.json -> ..data/policy.json, ..data -> ..TIMESTAMP) has its
// directory watched, and a change to it counts, as does any name starting
// with ".." in a watched directory (the volume's ..data, swapped by rename
// on an update, and its ..TIMESTAMP directories). A reload that fails keeps the loaded state (Reload
// logs why); the next change tries again. After each reload the watches
// follow the files the new state was loaded from.
//
// Watch returns nil when ctx ends, or an error when the watcher cannot
// start.
func (s *Server) Watch(ctx context.Context) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	ws := &watchSet{w: w, dirs: map[string]os.FileInfo{}}
	ws.sync(s.src, s.State(), s)
	var timer *time.Timer
	var fire <-chan time.Time
	defer func() {
		if timer != nil {
			timer.Stop()
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if !ws.relevant(ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) && ws.underDirSource(ev.Name) && !strings.HasPrefix(filepath.Base(ev.Name), ".") {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					ws.addTree(ev.Name, s)
				}
			}
			if timer == nil {
				timer = time.NewTimer(WatchDebounce)
				fire = timer.C
			} else {
				timer.Reset(WatchDebounce)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			s.log.Warn("watching the sources", "error", err)
		case <-fire:
			timer, fire = nil, nil
			s.log.Info("sources changed: reloading")
			// what the sources lead to now (a symlink swapped to a new
			// directory) is watched before it is read, so that a change
			// made there once the reload has read it is seen: watched
			// only after, a change in between would be lost until the
			// next one; and again after, for the files the new state
			// names
			ws.sync(s.src, s.State(), s)
			if err := s.Reload(); err == nil {
				if s.watchReloaded != nil {
					s.watchReloaded()
				}
				ws.sync(s.src, s.State(), s)
			}
		}
	}
}

// watchSet is what Watch watches: directories, and the files and
// directory trees whose changes count.
type watchSet struct {
	w        *fsnotify.Watcher
	dirs     map[string]os.FileInfo // watched directories, as they were when watched
	files    map[string]bool        // files whose change counts
	links    map[string]bool        // symlinks on the way to a source or a file: their change counts
	dirTrees []string               // directory sources: any *.json under them counts
}

// sync watches what src and st name, adding what is new (watches of
// directories no longer needed stay until Watch ends: they only cost
// events that relevant drops).
func (ws *watchSet) sync(src Source, st *State, s *Server) {
	ws.files = map[string]bool{}
	ws.links = map[string]bool{}
	ws.dirTrees = ws.dirTrees[:0]
	var paths []string // every path whose symlinks are followed
	for _, ss := range src.PolicySets {
		paths = append(paths, ss.Path)
	}
	paths = append(append(paths, src.Accounts...), st.files()...)
	for _, p := range paths {
		for _, l := range symlinksOn(p) {
			ws.links[l] = true
			ws.add(filepath.Dir(l), s)
		}
	}
	for _, ss := range src.PolicySets {
		p := filepath.Clean(ss.Path)
		if info, err := os.Stat(p); err == nil && info.IsDir() {
			ws.dirTrees = append(ws.dirTrees, p)
			ws.addTree(p, s)
			continue
		}
		ws.files[p] = true
	}
	for _, p := range src.Accounts {
		ws.files[filepath.Clean(p)] = true
	}
	for _, p := range st.files() {
		ws.files[filepath.Clean(p)] = true
	}
	for f := range ws.files {
		ws.add(filepath.Dir(f), s)
	}
}

// addTree watches dir and every directory under it but hidden ones.
func (ws *watchSet) addTree(dir string, s *Server) {
	root := followable(dir)
	filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return nil
		}
		if p == root {
			p = dir
		} else if strings.HasPrefix(e.Name(), ".") {
			return fs.SkipDir
		}
		ws.add(p, s)
		return nil
	})
}

// add watches dir, anew when it is no longer the directory it was when
// watched (a symlink on its path now leads elsewhere: the old watch
// follows the old directory).
func (ws *watchSet) add(dir string, s *Server) {
	info, err := os.Stat(dir)
	if old, ok := ws.dirs[dir]; ok {
		if err != nil || os.SameFile(old, info) {
			return
		}
		_ = ws.w.Remove(dir)
		delete(ws.dirs, dir)
	}
	if err == nil {
		err = ws.w.Add(dir)
	}
	if err != nil {
		s.log.Warn("cannot watch a directory: its changes need a SIGHUP", "dir", dir, "error", err)
		return
	}
	ws.dirs[dir] = info
}

// symlinksOn returns the symlinks met in resolving path, in order: the
// symlinks among its directories and itself, and those on the way to
// their targets (policy.json -> ..data/policy.json, then ..data ->
// ..TIMESTAMP). It stops at the first part that does not exist, and after
// 255 links (a loop).
func symlinksOn(path string) []string {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil
	}
	sep := string(filepath.Separator)
	vol := filepath.VolumeName(abs)
	cur := vol + sep
	pending := strings.Split(abs[len(vol):], sep)
	var links []string
	for len(pending) > 0 && len(links) < 255 {
		part := pending[0]
		pending = pending[1:]
		if part == "" || part == "." {
			continue
		}
		next := filepath.Join(cur, part) // cur holds no symlink: ".." is lexical
		info, err := os.Lstat(next)
		if err != nil {
			break
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		links = append(links, next)
		target, err := os.Readlink(next)
		if err != nil {
			break
		}
		if filepath.IsAbs(target) {
			vol = filepath.VolumeName(target)
			cur = vol + sep
			target = target[len(vol):]
		}
		pending = append(strings.Split(target, sep), pending...)
	}
	return links
}

// underDirSource reports whether name is under a directory source.
func (ws *watchSet) underDirSource(name string) bool {
	for _, d := range ws.dirTrees {
		if strings.HasPrefix(name, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// relevant reports whether an event on name may change what is loaded.
func (ws *watchSet) relevant(name string) bool {
	name = filepath.Clean(name)
	if ws.files[name] || ws.links[name] {
		return true
	}
	base := filepath.Base(name)
	if strings.HasPrefix(base, "..") {
		// a Kubernetes ConfigMap or Secret volume: ..data swapped to a
		// new ..TIMESTAMP directory on an update
		return true
	}
	if !ws.underDirSource(name) {
		return false
	}
	if strings.HasPrefix(base, ".") {
		return false
	}
	// a policy file, or a directory (made, removed or renamed: its files
	// come and go with it); an editor's other files (foo.json~, #foo#,
	// 4913) end otherwise
	return isPolicyFileName(base) || !strings.Contains(base, ".") && !strings.ContainsAny(base, "~#") && ws.dirOrGone(name)
}

// dirOrGone reports whether name is a directory, or is gone (a removed
// directory cannot be told from a removed file).
func (ws *watchSet) dirOrGone(name string) bool {
	info, err := os.Stat(name)
	return err != nil || info.IsDir()
}
