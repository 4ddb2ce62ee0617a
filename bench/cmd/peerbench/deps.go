package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
)

// ortVersion is the onnxruntime-node release the node peer runs: the one that
// produced the reference outputs in shared/.
const ortVersion = "1.30.0"

// pythonModules maps each module the Python peers import to the Debian
// package that provides it.
var pythonModules = []struct{ module, pkg string }{
	{"flask", "python3-flask"},
	{"flask_cors", "python3-flask-cors"},
	{"fastapi", "python3-fastapi"},
	{"pydantic", "python3-pydantic"},
	{"uvicorn", "python3-uvicorn"},
	{"sklearn", "python3-sklearn"},
	{"joblib", "python3-joblib"},
	{"numpy", "python3-numpy"},
}

// checkTools reports every missing program or Python module that the chosen
// peers (and profiler, if any) need, with the apt-get command that installs
// them.
func checkTools(ctx context.Context, names []string, profiler string) error {
	var pkgs, missing []string
	need := func(ok bool, what, pkg string) {
		if !ok {
			missing = append(missing, what)
			if !slices.Contains(pkgs, pkg) {
				pkgs = append(pkgs, pkg)
			}
		}
	}
	has := func(prog string) bool { _, err := exec.LookPath(prog); return err == nil }
	need(has("wrk"), "wrk", "wrk")
	need(has("taskset"), "taskset", "util-linux")
	if profiler == "perf" {
		need(has("perf"), "perf", "linux-perf")
	}
	python := slices.ContainsFunc(names, func(n string) bool { return n == "fastapi" || strings.HasPrefix(n, "flask-") })
	if slices.Contains(names, "node-ort") {
		need(has("node"), "node", "nodejs")
		need(has("npm"), "npm", "npm")
	}
	if python {
		need(has("/usr/bin/python3"), "/usr/bin/python3", "python3")
		if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "flask-") }) {
			need(has("/usr/bin/gunicorn"), "/usr/bin/gunicorn", "gunicorn")
		}
		if has("/usr/bin/python3") {
			vers, err := pythonVersions(ctx)
			if err != nil {
				return err
			}
			for _, m := range pythonModules {
				need(vers[m.module] != "", "Python module "+m.module, m.pkg)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("missing %s; install with:\n  apt-get update && apt-get install -y %s",
		strings.Join(missing, ", "), strings.Join(pkgs, " "))
}

// pythonVersions returns the version of each module in pythonModules that
// /usr/bin/python3 can import ("" for the missing ones) and of Python itself
// (key "python").
func pythonVersions(ctx context.Context) (map[string]string, error) {
	var mods []string
	for _, m := range pythonModules {
		mods = append(mods, m.module)
	}
	mods = append(mods, "gunicorn")
	const script = `
import importlib, json, sys, platform
out = {"python": platform.python_version()}
for m in sys.argv[1:]:
    try:
        mod = importlib.import_module(m)
        out[m] = str(getattr(mod, "__version__", None) or getattr(mod, "VERSION", "?"))
    except Exception:
        out[m] = ""
print(json.dumps(out))
`
	cmd := exec.CommandContext(ctx, "/usr/bin/python3", append([]string{"-c", script}, mods...)...)
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("/usr/bin/python3: %w", err)
	}
	vers := map[string]string{}
	if err := json.Unmarshal(out, &vers); err != nil {
		return nil, fmt.Errorf("python versions: %w", err)
	}
	return vers, nil
}

// ortModules returns a node_modules folder that holds onnxruntime-node
// ortVersion: dir's (from -ortjs or ORTJS) when given, else a folder in the
// user cache, installed there first if needed as shared/bench/README.md says
// (npm pack + npm install --ignore-scripts: the package carries its CPU
// binaries, and its install script would try to download GPU extras).
func ortModules(ctx context.Context, dir string, log io.Writer) (string, error) {
	if dir != "" {
		mods := filepath.Join(dir, "node_modules")
		v, err := ortInstalled(mods)
		if err != nil {
			return "", fmt.Errorf("ORTJS=%s: %w", dir, err)
		}
		if v != ortVersion {
			fmt.Fprintf(log, "warning: %s has onnxruntime-node %s, not %s\n", mods, v, ortVersion)
		}
		return mods, nil
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir = filepath.Join(cache, "tabserve-bench", "onnxruntime-node-"+ortVersion)
	mods := filepath.Join(dir, "node_modules")
	if v, err := ortInstalled(mods); err == nil && v == ortVersion {
		return mods, nil
	}
	fmt.Fprintf(log, "installing onnxruntime-node %s into %s\n", ortVersion, dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	for _, args := range [][]string{
		{"npm", "init", "-y"},
		{"npm", "pack", "onnxruntime-node@" + ortVersion},
		{"npm", "install", "--ignore-scripts", "./onnxruntime-node-" + ortVersion + ".tgz"},
	} {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", fmt.Errorf("%s: %w\n%s", strings.Join(args, " "), err, out)
		}
	}
	v, err := ortInstalled(mods)
	if err != nil {
		return "", err
	}
	if v != ortVersion {
		return "", fmt.Errorf("installed onnxruntime-node %s, want %s", v, ortVersion)
	}
	return mods, nil
}

// ortInstalled returns the version of onnxruntime-node in mods.
func ortInstalled(mods string) (string, error) {
	b, err := os.ReadFile(filepath.Join(mods, "onnxruntime-node", "package.json"))
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("no onnxruntime-node in %s", mods)
	}
	if err != nil {
		return "", err
	}
	var pkg struct{ Version string }
	if err := json.Unmarshal(b, &pkg); err != nil {
		return "", fmt.Errorf("%s: %w", mods, err)
	}
	return pkg.Version, nil
}
