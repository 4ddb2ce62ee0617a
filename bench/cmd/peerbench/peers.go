package main

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"

	"github.com/tabserve/tabserve/bench/internal/proc"
)

// A peer is one server under benchmark.
type peer struct {
	name     string // as in -peers
	title    string // as in the tables
	short    string // as in the plot
	constant bool   // answers with a constant reply (no prediction)
	// spec is how to start it listening on host:port.
	spec func(t *toolbox, host string, port int) proc.Spec
}

// toolbox holds what the peers run with, once found, built or installed.
type toolbox struct {
	repo, shared string
	tabserve     string   // binary
	tabserveArgs []string // extra arguments
	bare         string   // binary
	replyFile    string   // the bare handler's constant reply
	nodeModules  string   // holds onnxruntime-node
}

func (t *toolbox) model(file string) string { return filepath.Join(t.shared, "models", file) }
func (t *toolbox) peerDir() string          { return filepath.Join(t.repo, "bench", "peers") }

// pythonEnv is the environment of the Python peers: the model path, no
// bytecode files in the repository, and one BLAS thread per process (each
// worker has one CPU; the model's work per row is too small to split).
func (t *toolbox) pythonEnv() []string {
	return []string{
		"MODEL_PATH=" + t.model("loan_approval_v1.joblib"),
		"PYTHONDONTWRITEBYTECODE=1",
		"OPENBLAS_NUM_THREADS=1",
		"OMP_NUM_THREADS=1",
	}
}

func gunicornPeer(workers int) peer {
	return peer{
		name:  fmt.Sprintf("flask-%dw", workers),
		title: fmt.Sprintf("seed Flask app, gunicorn %d sync workers", workers),
		short: fmt.Sprintf("Flask %dw", workers),
		spec: func(t *toolbox, host string, port int) proc.Spec {
			return proc.Spec{
				Args: []string{"/usr/bin/gunicorn", "--workers", strconv.Itoa(workers), "--worker-class", "sync",
					"--bind", net.JoinHostPort(host, strconv.Itoa(port)), "flask_app:app"},
				Dir: t.peerDir(),
				Env: t.pythonEnv(),
			}
		},
	}
}

// peers lists every peer, in the order they run and appear.
func peers() []peer {
	return []peer{
		{
			name:  "tabserve",
			title: "tabserve (embedded loan model)",
			short: "tabserve",
			spec: func(t *toolbox, host string, port int) proc.Spec {
				args := append([]string{t.tabserve, "--addr", net.JoinHostPort(host, strconv.Itoa(port))}, t.tabserveArgs...)
				return proc.Spec{Args: args}
			},
		},
		{
			name:     "bare",
			title:    "bare Go net/http handler, constant reply",
			short:    "Go bare",
			constant: true,
			spec: func(t *toolbox, host string, port int) proc.Spec {
				return proc.Spec{Args: []string{t.bare, "-addr", net.JoinHostPort(host, strconv.Itoa(port)), "-reply", t.replyFile}}
			},
		},
		{
			name:  "node-ort",
			title: "node http + onnxruntime-node 1.30.0 (1 thread)",
			short: "node+ORT",
			spec: func(t *toolbox, host string, port int) proc.Spec {
				return proc.Spec{
					Args: []string{"node", filepath.Join(t.peerDir(), "ort_server.js")},
					Env: []string{
						"NODE_PATH=" + t.nodeModules,
						"ONNX_PATH=" + t.model("loan_approval_v1.nozipmap.onnx"),
						"HOST=" + host,
						"PORT=" + strconv.Itoa(port),
					},
				}
			},
		},
		{
			name:  "fastapi",
			title: "seed FastAPI version, uvicorn (1 process)",
			short: "FastAPI",
			spec: func(t *toolbox, host string, port int) proc.Spec {
				return proc.Spec{
					Args: []string{"/usr/bin/python3", "-m", "uvicorn", "fastapi_app:app",
						"--host", host, "--port", strconv.Itoa(port), "--no-access-log"},
					Dir: t.peerDir(),
					Env: t.pythonEnv(),
				}
			},
		},
		gunicornPeer(2),
		gunicornPeer(4),
	}
}

func peerNames() []string {
	var names []string
	for _, p := range peers() {
		names = append(names, p.name)
	}
	return names
}

func peerByName(name string) (peer, bool) {
	for _, p := range peers() {
		if p.name == name {
			return p, true
		}
	}
	return peer{}, false
}

// flaskBaseline is the peer the "× Flask" ratios divide by.
const flaskBaseline = "flask-2w"

// freePort asks the kernel for a free TCP port on host.
func freePort(host string) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
