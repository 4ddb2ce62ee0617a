// Package catalog holds the models a server serves, each loaded from an
// ONNX file and its manifest, and replaces a model atomically when its
// files change: the new version is loaded and checked completely first,
// and requests that started on the old version finish on it.
package catalog

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tabserve/tabserve/internal/manifest"
	"github.com/tabserve/tabserve/internal/onnx"
)

// A Source says where a model's files are: a manifest and the ONNX file it
// names, in a directory of the operating system or in a read-only file
// system such as the binary's embedded models.
type Source struct {
	// Manifest is the manifest's path, or for a model path ending in
	// .onnx, the model's (the manifest is then the same path with .yaml).
	Path string
	// FS, when set, holds the files (Path is then slash-separated and
	// relative to it); they never change.
	FS fs.FS
}

// A Model is one loaded version of a model. It is immutable.
type Model struct {
	*manifest.Binding
	// ModelPath and ManifestPath are the files it came from.
	ModelPath, ManifestPath string
	// SHA256 is the hex digest of the ONNX file.
	SHA256   string
	LoadedAt time.Time

	batches sync.Pool
}

// Name returns the model's name, from its manifest.
func (m *Model) Name() string { return m.Manifest.Name }

// Version returns the model's version, from its manifest.
func (m *Model) Version() string { return m.Manifest.Version }

// Batch returns an empty request batch for this model; give it back with
// PutBatch when the response is written.
func (m *Model) Batch() *manifest.Batch {
	bt := m.batches.Get().(*manifest.Batch)
	bt.Reset()
	return bt
}

// PutBatch returns a batch for reuse.
func (m *Model) PutBatch(bt *manifest.Batch) { m.batches.Put(bt) }

// Load loads and checks a model from its source.
func Load(src Source) (*Model, error) {
	modelPath, manifestPath := src.paths()
	read := os.ReadFile
	if src.FS != nil {
		read = func(name string) ([]byte, error) { return fs.ReadFile(src.FS, name) }
	}
	mdata, err := read(manifestPath)
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	man, err := manifest.Parse(mdata)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", manifestPath, err)
	}
	if man.Model != "" && !strings.HasSuffix(src.Path, ".onnx") {
		modelPath = join(src, manifestPath, man.Model)
	}
	data, err := read(modelPath)
	if err != nil {
		return nil, fmt.Errorf("read model: %w", err)
	}
	om, err := onnx.Load(data)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", modelPath, err)
	}
	b, err := man.Bind(om)
	if err != nil {
		return nil, fmt.Errorf("manifest %s does not fit model %s: %w", manifestPath, modelPath, err)
	}
	sum := sha256.Sum256(data)
	m := &Model{Binding: b, ModelPath: modelPath, ManifestPath: manifestPath, SHA256: hex.EncodeToString(sum[:]), LoadedAt: time.Now()}
	m.batches.New = func() any { return b.NewBatch() }
	return m, nil
}

// paths returns the model and manifest paths a source names before the
// manifest is read: for a .onnx path, the manifest beside it; for a
// manifest, the model of the same name.
func (src Source) paths() (modelPath, manifestPath string) {
	ext := filepath.Ext(src.Path)
	if src.FS != nil {
		ext = path.Ext(src.Path)
	}
	base := strings.TrimSuffix(src.Path, ext)
	if ext == ".onnx" {
		return src.Path, base + ".yaml"
	}
	return base + ".onnx", src.Path
}

func join(src Source, manifestPath, name string) string {
	if src.FS != nil {
		return path.Join(path.Dir(manifestPath), name)
	}
	if filepath.IsAbs(name) {
		return name
	}
	return filepath.Join(filepath.Dir(manifestPath), name)
}

// An Entry is a served model: its source and the version loaded now.
type Entry struct {
	src  Source
	name string
	cur  atomic.Pointer[Model]

	mu    sync.Mutex // serialises reloads
	stamp stamp
}

// stamp identifies the contents of a model's files cheaply.
type stamp struct {
	model, manifest fileStamp
}

type fileStamp struct {
	mod  time.Time
	size int64
}

// Model returns the version served now. A request should call it once
// and use that version to the end.
func (e *Entry) Model() *Model { return e.cur.Load() }

// Name returns the model's name.
func (e *Entry) Name() string { return e.name }

// Source returns where the model is loaded from.
func (e *Entry) Source() Source { return e.src }

// Reload loads the model's files again and, when they load and fit, serves
// the new version. On error the current version stays. It returns the old
// and new versions when it swapped them.
func (e *Entry) Reload() (old, cur *Model, err error) {
	if e.src.FS != nil {
		return nil, nil, nil // embedded files do not change
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	st := e.statLocked()
	m, err := Load(e.src)
	if err != nil {
		e.stamp = st // do not retry the same broken files
		return nil, nil, err
	}
	if m.Name() != e.name {
		e.stamp = st
		return nil, nil, fmt.Errorf("the manifest renames model %q to %q; a model's name cannot change while it is served", e.name, m.Name())
	}
	e.stamp = st
	return e.cur.Swap(m), m, nil
}

// Changed reports whether the model's files changed since they were last
// loaded.
func (e *Entry) Changed() bool {
	if e.src.FS != nil {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.statLocked() != e.stamp
}

func (e *Entry) statLocked() stamp {
	var st stamp
	cur := e.cur.Load()
	for _, f := range []struct {
		path string
		dst  *fileStamp
	}{{cur.ModelPath, &st.model}, {cur.ManifestPath, &st.manifest}} {
		if fi, err := os.Stat(f.path); err == nil {
			*f.dst = fileStamp{fi.ModTime(), fi.Size()}
		}
	}
	return st
}

// A Catalog is the set of models a server serves. The set is fixed; each
// model's version can change.
type Catalog struct {
	entries []*Entry
	byName  map[string]*Entry
}

// New loads every source; the first is the default model. It fails on the
// first model that does not load, and on two models of the same name.
func New(sources ...Source) (*Catalog, error) {
	c := &Catalog{byName: map[string]*Entry{}}
	for _, src := range sources {
		m, err := Load(src)
		if err != nil {
			return nil, err
		}
		if _, dup := c.byName[m.Name()]; dup {
			return nil, fmt.Errorf("two models are named %q", m.Name())
		}
		e := &Entry{src: src, name: m.Name()}
		e.cur.Store(m)
		if src.FS == nil {
			e.stamp = e.statLocked()
		}
		c.entries = append(c.entries, e)
		c.byName[m.Name()] = e
	}
	return c, nil
}

// Default returns the default model, or nil when the catalog is empty.
func (c *Catalog) Default() *Entry {
	if c == nil || len(c.entries) == 0 {
		return nil
	}
	return c.entries[0]
}

// Lookup returns the model named name, or nil.
func (c *Catalog) Lookup(name string) *Entry {
	if c == nil {
		return nil
	}
	return c.byName[name]
}

// Entries returns the models in order, the default first.
func (c *Catalog) Entries() []*Entry {
	if c == nil {
		return nil
	}
	return c.entries
}
