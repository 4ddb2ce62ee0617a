package proc

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestParseVmRSS(t *testing.T) {
	tests := []struct {
		name    string
		status  string
		want    int64
		wantErr bool
	}{
		{"real", "Name:\tsleep\nVmPeak:\t    5520 kB\nVmRSS:\t    1792 kB\nRssAnon:\t       0 kB\n", 1792, false},
		{"no VmRSS (zombie)", "Name:\tx\nState:\tZ (zombie)\n", 0, true},
		{"unit missing", "VmRSS:\t1792\n", 0, true},
		{"not a number", "VmRSS:\tlots kB\n", 0, true},
		{"negative", "VmRSS:\t-1 kB\n", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseVmRSS([]byte(tt.status))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseVmRSS(%q) = %d, %v; want %d, error %v", tt.status, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseKiBPss(t *testing.T) {
	rollup := "5581c8a3e000-7ffd2b9f5000 ---p 00000000 00:00 0  [rollup]\nRss:  1792 kB\nPss:   411 kB\nPss_Anon:  120 kB\n"
	if got, err := parseKiB([]byte(rollup), "Pss:"); err != nil || got != 411 {
		t.Errorf("parseKiB(rollup, Pss:) = %d, %v; want 411, nil", got, err)
	}
}

func TestParseStat(t *testing.T) {
	tests := []struct {
		name    string
		line    string
		want    stat
		wantErr bool
	}{
		{"plain", "4242 (gunicorn) S 4200 4242 4242 0 -1 4194560 1234 0 0 0 311 27 0 0 20 0 1 0 100 1000 200",
			stat{state: "S", ppid: 4200, pgrp: 4242, utime: 311, stime: 27}, false},
		{"name with spaces and parentheses", "7 (a) b (c)) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 1 1 1",
			stat{state: "R", ppid: 1, pgrp: 7, utime: 5, stime: 6}, false},
		{"no parenthesis", "7 a R 1", stat{}, true},
		{"truncated", "7 (a) R 1 7 7", stat{}, true},
		{"bad ppid", "7 (a) R x 7 7 0 -1 0 0 0 0 0 5 6 0", stat{}, true},
		{"bad utime", "7 (a) R 1 7 7 0 -1 0 0 0 0 0 x 6 0", stat{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseStat([]byte(tt.line))
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("parseStat(%q) = %+v, %v; want %+v, error %v", tt.line, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestParseCPULine(t *testing.T) {
	tests := []struct {
		name        string
		in          string
		busy, total time.Duration
		wantErr     bool
	}{
		// user nice system idle iowait irq softirq steal guest guest_nice
		{"real", "cpu  100 0 50 800 10 5 5 30 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n",
			1600 * time.Millisecond, 10 * time.Second, false},
		{"per-cpu line first", "cpu0 1 2 3 4 5 6 7 8 9 10\n", 0, 0, true},
		{"too short", "cpu 1 2 3\n", 0, 0, true},
		{"not a number", "cpu 1 2 3 x 5 6 7 8 9 10\n", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			busy, total, err := parseCPULine([]byte(tt.in))
			if (err != nil) != tt.wantErr || busy != tt.busy || total != tt.total {
				t.Errorf("parseCPULine(%q) = %v, %v, %v; want %v, %v, error %v",
					tt.in, busy, total, err, tt.busy, tt.total, tt.wantErr)
			}
		})
	}
}

// TestStartStop starts a shell that forks a child ignoring SIGTERM, and
// checks that the tree is seen whole, pinned, and gone after Stop.
func TestStartStop(t *testing.T) {
	dir := t.TempDir()
	ready := filepath.Join(dir, "ready")
	p, err := Start(Spec{
		Args: []string{"sh", "-c", `sh -c 'trap "" TERM; touch "$READY"; sleep 30' & wait`},
		Env:  []string{"READY=" + ready},
		CPU:  0,
		Log:  filepath.Join(dir, "log"),
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(time.Second)
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(ready); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child never started; log: %s", p.LogTail(500))
		}
		time.Sleep(10 * time.Millisecond)
	}
	u, err := TreeUsage(p.Pid())
	if err != nil {
		t.Fatalf("TreeUsage: %v", err)
	}
	// sh, the inner sh, and sleep (a shell may exec sleep in place of the
	// inner sh, so at least two processes).
	if len(u.Pids) < 2 || u.Pids[0] != p.Pid() || u.RSSKiB <= 0 || u.PSSKiB <= 0 || u.PSSKiB > u.RSSKiB {
		t.Errorf("TreeUsage(%d) = %+v; want the shell and its children, 0 < PSS <= RSS", p.Pid(), u)
	}
	status, err := os.ReadFile("/proc/" + strconv.Itoa(u.Pids[len(u.Pids)-1]) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(status), "Cpus_allowed_list:\t0\n") {
		t.Errorf("child is not pinned to CPU 0:\n%s", status)
	}

	start := time.Now()
	p.Stop(200 * time.Millisecond)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Stop took %v", d)
	}
	for _, pid := range u.Pids {
		if err := syscall.Kill(pid, 0); err == nil && !isZombie(pid) {
			t.Errorf("process %d of the tree still runs after Stop", pid)
		}
	}
	select {
	case <-p.Exited():
	default:
		t.Error("Exited not closed after Stop")
	}
	p.Stop(time.Second) // a second Stop is a no-op
}

func TestTreeOfSelf(t *testing.T) {
	pids, err := Tree(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	if len(pids) == 0 || pids[0] != os.Getpid() || slices.Contains(pids[1:], os.Getpid()) {
		t.Errorf("Tree(self) = %v; want self first, once", pids)
	}
}

func isZombie(pid int) bool {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	i := strings.LastIndexByte(string(b), ')')
	return i >= 0 && strings.HasPrefix(string(b[i+1:]), " Z")
}
