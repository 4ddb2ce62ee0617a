package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the figures were measured.
type machine struct {
	CPU            string            `json:"cpu"`
	CPUs           int               `json:"cpus"`
	ThreadsPerCore string            `json:"threads_per_core,omitempty"`
	Hypervisor     string            `json:"hypervisor,omitempty"`
	Caches         string            `json:"caches,omitempty"`
	Memory         string            `json:"memory,omitempty"`
	Kernel         string            `json:"kernel"`
	Go             string            `json:"go"`
	Wrk            string            `json:"wrk"`
	Node           string            `json:"node,omitempty"`
	ORT            string            `json:"onnxruntime_node,omitempty"`
	Python         map[string]string `json:"python,omitempty"`
	LoadBefore     string            `json:"loadavg_before"`
	LoadAfter      string            `json:"loadavg_after"`
}

// machineInfo gathers the machine's description; what cannot be read is
// left empty.
func machineInfo(ctx context.Context, repo string, node bool, nodeModules string) machine {
	m := machine{CPUs: runtime.NumCPU(), LoadBefore: loadAvg()}
	if out, err := exec.CommandContext(ctx, "lscpu").Output(); err == nil {
		l := parseLscpu(out)
		m.CPU = l["Model name"]
		if n, err := strconv.Atoi(l["CPU(s)"]); err == nil {
			m.CPUs = n
		}
		m.ThreadsPerCore = l["Thread(s) per core"]
		m.Hypervisor = l["Hypervisor vendor"]
		var caches []string
		for _, k := range []string{"L1d", "L1i", "L2", "L3"} {
			if v := l[k+" cache"]; v != "" {
				caches = append(caches, k+" "+v)
			}
		}
		m.Caches = strings.Join(caches, ", ")
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.Kernel = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		if line, _, ok := bytes.Cut(b, []byte("\n")); ok {
			f := strings.Fields(strings.TrimPrefix(string(line), "MemTotal:"))
			if len(f) == 2 && f[1] == "kB" {
				if kib, err := strconv.ParseFloat(f[0], 64); err == nil {
					m.Memory = fmt.Sprintf("%.1f GiB", kib/(1<<20))
				}
			}
		}
	}
	m.Go = firstLine(ctx, repo, "go", "env", "GOVERSION")
	m.Wrk = strings.Join(strings.Fields(firstLine(ctx, "", "wrk", "-v")), " ")
	if i := strings.Index(m.Wrk, " Copyright"); i > 0 {
		m.Wrk = m.Wrk[:i]
	}
	if node {
		m.Node = firstLine(ctx, "", "node", "--version")
		if v, err := ortInstalled(nodeModules); err == nil {
			m.ORT = v
		}
	}
	if v, err := pythonVersions(ctx); err == nil {
		m.Python = v
	}
	return m
}

// parseLscpu reads lscpu's "Key: value" lines.
func parseLscpu(out []byte) map[string]string {
	l := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if _, dup := l[k]; !dup && k != "" {
			l[k] = v
		}
	}
	return l
}

// loadAvg returns the 1, 5 and 15 minute load averages.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// firstLine runs a command and returns the first line of its output.
func firstLine(ctx context.Context, dir, name string, args ...string) string {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	line, _, _ := strings.Cut(string(out), "\n")
	return strings.TrimSpace(line)
}
