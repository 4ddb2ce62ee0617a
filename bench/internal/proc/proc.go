// Package proc starts the servers under benchmark, each in its own process
// group and pinned to a CPU, stops them with all their children, and reads
// what they use from /proc.
package proc

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Spec says how to start a server.
type Spec struct {
	Args []string // command and arguments
	Dir  string   // working directory; "" for the current one
	Env  []string // added to the harness's environment
	CPU  int      // CPU to pin the server (and its children) to; -1 for none
	Log  string   // file that receives the server's stdout and stderr
}

// Process is a started server.
type Process struct {
	cmd     *exec.Cmd
	log     string
	started time.Time
	done    chan struct{}
	waitErr error
	stopMu  sync.Mutex
}

// Start starts the server that s describes. Its process group is its own, so
// Stop reaches every process it forks, and the kernel sends it SIGKILL if the
// harness dies without stopping it.
func Start(s Spec) (*Process, error) {
	if len(s.Args) == 0 {
		return nil, errors.New("no command")
	}
	args := s.Args
	if s.CPU >= 0 {
		args = append([]string{"taskset", "-c", strconv.Itoa(s.CPU)}, args...)
	}
	logf, err := os.Create(s.Log)
	if err != nil {
		return nil, err
	}
	defer logf.Close() // the child holds its own descriptor
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = s.Dir
	cmd.Env = append(os.Environ(), s.Env...)
	cmd.Stdout = logf
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p := &Process{cmd: cmd, log: s.Log, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", args[0], err)
	}
	go func() {
		p.waitErr = cmd.Wait()
		close(p.done)
	}()
	return p, nil
}

// Pid is the server's process id (taskset executes the server in its place).
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Started is when the server was started.
func (p *Process) Started() time.Time { return p.started }

// Exited is closed when the server has exited.
func (p *Process) Exited() <-chan struct{} { return p.done }

// ExitErr is how the server exited; call it only after Exited is closed.
func (p *Process) ExitErr() error { return p.waitErr }

// LogTail returns the last n bytes the server wrote to its log.
func (p *Process) LogTail(n int) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return ""
	}
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}

// Stop sends SIGTERM to the server's process group, waits up to grace for the
// server to exit, then kills the group. It returns once the server has exited;
// calling it again does nothing.
func (p *Process) Stop(grace time.Duration) {
	p.stopMu.Lock()
	defer p.stopMu.Unlock()
	pgid := p.cmd.Process.Pid
	select {
	case <-p.done:
		// The leader is gone; make sure its children are too.
		syscall.Kill(-pgid, syscall.SIGKILL)
		return
	default:
	}
	syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
	}
	// Kill whatever of the group is left (workers that ignored SIGTERM,
	// or a leader that did not exit in time).
	syscall.Kill(-pgid, syscall.SIGKILL)
	<-p.done
	// SIGKILL takes effect asynchronously: wait until the group's other
	// processes are gone too, so the next server starts on an idle CPU.
	for deadline := time.Now().Add(2 * time.Second); groupRuns(pgid) && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
}

// groupRuns reports whether a process of group pgid is still running (not
// a zombie).
func groupRuns(pgid int) bool {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return false
	}
	for _, e := range entries {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		if st, err := parseStat(b); err == nil && st.pgrp == pgid && st.state != "Z" {
			return true
		}
	}
	return false
}

// Tree returns pid and the ids of all its descendants, read from /proc.
func Tree(pid int) ([]int, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	children := map[int][]int{}
	for _, e := range entries {
		id, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue // exited meanwhile
		}
		st, err := parseStat(b)
		if err != nil {
			return nil, fmt.Errorf("/proc/%d/stat: %w", id, err)
		}
		children[st.ppid] = append(children[st.ppid], id)
	}
	tree := []int{pid}
	for i := 0; i < len(tree); i++ {
		tree = append(tree, children[tree[i]]...)
	}
	return tree, nil
}

// Usage is what a tree of processes uses.
type Usage struct {
	Pids   []int
	RSSKiB int64         // sum of VmRSS
	PSSKiB int64         // sum of Pss: each shared page divided among its sharers
	CPU    time.Duration // user + system time, summed
}

// TreeUsage sums the resident memory (VmRSS) and CPU time of pid and all its
// descendants.
func TreeUsage(pid int) (Usage, error) {
	pids, err := Tree(pid)
	if err != nil {
		return Usage{}, err
	}
	u := Usage{Pids: pids}
	for _, id := range pids {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", id))
		if err != nil {
			return Usage{}, err
		}
		rss, err := parseVmRSS(status)
		if err != nil {
			return Usage{}, fmt.Errorf("/proc/%d/status: %w", id, err)
		}
		u.RSSKiB += rss
		rollup, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", id))
		if err != nil {
			return Usage{}, err
		}
		pss, err := parseKiB(rollup, "Pss:")
		if err != nil {
			return Usage{}, fmt.Errorf("/proc/%d/smaps_rollup: %w", id, err)
		}
		u.PSSKiB += pss
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", id))
		if err != nil {
			return Usage{}, err
		}
		st, err := parseStat(stat)
		if err != nil {
			return Usage{}, fmt.Errorf("/proc/%d/stat: %w", id, err)
		}
		u.CPU += ticks(st.utime + st.stime)
	}
	return u, nil
}

// clockTicks is USER_HZ, which Linux fixes at 100 for /proc.
const clockTicks = 100

func ticks(n int64) time.Duration { return time.Duration(n) * time.Second / clockTicks }

// parseVmRSS returns the VmRSS line of /proc/PID/status, in KiB.
func parseVmRSS(status []byte) (int64, error) { return parseKiB(status, "VmRSS:") }

// parseKiB returns the value of the first line that starts with key in a
// /proc file of "Key: N kB" lines (status, smaps_rollup).
func parseKiB(b []byte, key string) (int64, error) {
	for line := range bytes.Lines(b) {
		rest, ok := bytes.CutPrefix(line, []byte(key))
		if !ok {
			continue
		}
		f := strings.Fields(string(rest))
		if len(f) != 2 || f[1] != "kB" {
			return 0, fmt.Errorf("malformed %s line %q", key, bytes.TrimSpace(line))
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("malformed %s line %q", key, bytes.TrimSpace(line))
		}
		return n, nil
	}
	return 0, fmt.Errorf("no %s line (a zombie or kernel thread?)", key)
}

type stat struct {
	state        string
	ppid, pgrp   int
	utime, stime int64 // clock ticks
}

// parseStat reads the parent id and CPU times from /proc/PID/stat. The
// command name (field 2) is in parentheses and may itself hold spaces and
// parentheses, so fields are counted from the last ')'.
func parseStat(b []byte) (stat, error) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return stat{}, errors.New("no ')' after the command name")
	}
	f := strings.Fields(string(b[i+1:]))
	// f[0] is field 3 (state): ppid is field 4, pgrp 5, utime 14, stime 15.
	if len(f) < 13 {
		return stat{}, fmt.Errorf("%d fields after the command name; want at least 13", len(f))
	}
	ppid, err1 := strconv.Atoi(f[1])
	pgrp, err2 := strconv.Atoi(f[2])
	utime, err3 := strconv.ParseInt(f[11], 10, 64)
	stime, err4 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		return stat{}, err
	}
	return stat{state: f[0], ppid: ppid, pgrp: pgrp, utime: utime, stime: stime}, nil
}

// CPUTimes reads the first line of /proc/stat: the machine's busy and total
// CPU time since boot, over all CPUs.
func CPUTimes() (busy, total time.Duration, err error) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	return parseCPULine(b)
}

// parseCPULine reads the aggregate "cpu" line of /proc/stat. Idle, iowait and
// steal (time the hypervisor gave to other guests) count as not busy; guest
// time is already inside user time.
func parseCPULine(b []byte) (busy, total time.Duration, err error) {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(line))
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("malformed /proc/stat cpu line %q", line)
	}
	var v [8]int64 // user nice system idle iowait irq softirq steal
	for i := range v {
		n, err := strconv.ParseInt(f[i+1], 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("malformed /proc/stat cpu line %q", line)
		}
		v[i] = n
	}
	var sum int64
	for _, n := range v {
		sum += n
	}
	notBusy := v[3] + v[4] + v[7]
	return ticks(sum - notBusy), ticks(sum), nil
}
