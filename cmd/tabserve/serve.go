package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tabserve/tabserve/internal/catalog"
	"github.com/tabserve/tabserve/internal/metrics"
	"github.com/tabserve/tabserve/internal/server"
	"github.com/tabserve/tabserve/models"
)

// config is the server's configuration, from flags and their environment
// variables.
type config struct {
	addr              string
	models            listValue
	maxBody           int64
	maxBatch          int64
	cors              listValue
	logLevel          slog.Level
	logFormat         string
	accessLog         bool
	readTimeout       time.Duration
	readHeaderTimeout time.Duration
	writeTimeout      time.Duration
	idleTimeout       time.Duration
	shutdownTimeout   time.Duration
	evalTimeout       time.Duration
	watch             time.Duration
	pprofAddr         string
}

// A setting is a flag and the environment variable that is its fallback.
type setting struct {
	flag, env, usage string
	value            flag.Value
}

func (c *config) settings() []setting {
	c.addr = ":8080"
	c.maxBody = server.DefaultMaxBodyBytes
	c.maxBatch = server.DefaultMaxBatch
	c.logLevel = slog.LevelInfo
	c.logFormat = "json"
	c.readTimeout = 10 * time.Second
	c.readHeaderTimeout = 5 * time.Second
	c.writeTimeout = 30 * time.Second
	c.idleTimeout = 120 * time.Second
	c.shutdownTimeout = 15 * time.Second
	c.evalTimeout = 20 * time.Second
	return []setting{
		{"addr", "TABSERVE_ADDR", "listen address, host:port", stringVar{&c.addr}},
		{"model", "TABSERVE_MODEL", "model to serve: an .onnx file with its manifest (.yaml) beside it, or a manifest; repeatable, the first is the default (env: comma-separated); default: the embedded loan approval model", &c.models},
		{"max-body-bytes", "TABSERVE_MAX_BODY_BYTES", "largest request body accepted, in bytes", positiveInt{&c.maxBody}},
		{"max-batch", "TABSERVE_MAX_BATCH", "most instances in one batch prediction", positiveInt{&c.maxBatch}},
		{"cors-origin", "TABSERVE_CORS_ORIGINS", "origin granted cross-origin access, such as https://app.example.com; repeatable (env: comma-separated); default: none, no CORS headers", &c.cors},
		{"log-level", "TABSERVE_LOG_LEVEL", "log level: debug, info, warn or error", levelVar{&c.logLevel}},
		{"log-format", "TABSERVE_LOG_FORMAT", "log format: json or text", choiceVar{&c.logFormat, []string{"json", "text"}}},
		{"access-log", "TABSERVE_ACCESS_LOG", "log every request at level info", boolVar{&c.accessLog}},
		{"read-timeout", "TABSERVE_READ_TIMEOUT", "longest time to read a request, body included", nonNegativeDuration{&c.readTimeout}},
		{"read-header-timeout", "TABSERVE_READ_HEADER_TIMEOUT", "longest time to read a request's headers", nonNegativeDuration{&c.readHeaderTimeout}},
		{"write-timeout", "TABSERVE_WRITE_TIMEOUT", "longest time from the end of the request headers to the end of the response", nonNegativeDuration{&c.writeTimeout}},
		{"idle-timeout", "TABSERVE_IDLE_TIMEOUT", "how long an idle keep-alive connection stays open", nonNegativeDuration{&c.idleTimeout}},
		{"eval-timeout", "TABSERVE_EVAL_TIMEOUT", "longest a model may take to evaluate a batch prediction or a v2 inference request before it is stopped and answered 504 (0: no bound)", nonNegativeDuration{&c.evalTimeout}},
		{"shutdown-timeout", "TABSERVE_SHUTDOWN_TIMEOUT", "how long to let in-flight requests finish on SIGINT or SIGTERM", nonNegativeDuration{&c.shutdownTimeout}},
		{"watch", "TABSERVE_WATCH", "poll the model files at this interval and reload them when they change (0: off; SIGHUP always reloads)", nonNegativeDuration{&c.watch}},
		{"pprof-addr", "TABSERVE_PPROF_ADDR", "serve Go's profiler (/debug/pprof/) on this separate address, such as localhost:6060; default: off", optionalString{&c.pprofAddr}},
	}
}

// parseConfig reads the configuration: defaults, then environment
// variables, then flags.
func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("tabserve serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	settings := c.settings()
	for _, s := range settings {
		fs.Var(s.value, s.flag, s.usage)
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tabserve [serve] [flags]\n\nServes models over HTTP. Each flag falls back to its environment variable.\n\n")
		for _, s := range settings {
			def := fs.Lookup(s.flag).DefValue
			fmt.Fprintf(stderr, "  --%s (env %s)", s.flag, s.env)
			if def != "" && def != "[]" {
				fmt.Fprintf(stderr, ", default %s", def)
			}
			fmt.Fprintf(stderr, "\n      %s\n", s.usage)
		}
	}
	for _, s := range settings {
		v := getenv(s.env)
		if v == "" {
			continue
		}
		if l, ok := s.value.(*listValue); ok {
			l.setEnv(v)
			continue
		}
		if err := s.value.Set(v); err != nil {
			return nil, usagef("invalid %s=%q: %v", s.env, v, err)
		}
	}
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	return c, nil
}

// serve runs the HTTP server until ctx is done, then drains it.
func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stderr)
	if cfg.writeTimeout > 0 && (cfg.evalTimeout == 0 || cfg.evalTimeout >= cfg.writeTimeout) {
		// The connection stops taking writes first: a long evaluation
		// would run on for nobody.
		log.Warn("the evaluation timeout is not below the write timeout", "eval_timeout", cfg.evalTimeout.String(), "write_timeout", cfg.writeTimeout.String())
	}

	sources := []catalog.Source{{Path: models.Default, FS: models.FS}}
	if len(cfg.models.vals) > 0 {
		sources = sources[:0]
		for _, p := range cfg.models.vals {
			sources = append(sources, catalog.Source{Path: p})
		}
	}
	cat, err := catalog.New(sources...)
	if err != nil {
		return err
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	met := metrics.New(reg)
	for _, e := range cat.Entries() {
		m := e.Model()
		met.ModelLoaded(m, nil)
		log.Info("model loaded", "model", m.Name(), "version", m.Version(), "file", m.ModelPath, "sha256", m.SHA256)
	}

	h := server.New(server.Config{
		Version:      version(),
		MaxBodyBytes: cfg.maxBody,
		MaxBatch:     int(cfg.maxBatch),
		CORSOrigins:  cfg.cors.vals,
		AccessLog:    cfg.accessLog,
		EvalTimeout:  cfg.evalTimeout,
	}, log, cat, met, reg)

	// Take over SIGHUP before anyone can know the server runs, so that a
	// reload asked for once it listens cannot kill it instead.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadTimeout:       cfg.readTimeout,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	if cfg.pprofAddr != "" {
		pp, err := startPprof(cfg.pprofAddr, log)
		if err != nil {
			srv.Close()
			return err
		}
		defer pp.Close()
	}
	log.Info("listening", "addr", ln.Addr().String(), "version", version())

	var tick <-chan time.Time
	if cfg.watch > 0 {
		t := time.NewTicker(cfg.watch)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case err := <-serveErr:
			return err
		case <-hup:
			log.Info("SIGHUP: reloading models")
			reload(log, met, cat, false)
		case <-tick:
			reload(log, met, cat, true)
		case <-ctx.Done():
			log.Info("shutting down", "drain_timeout", cfg.shutdownTimeout.String())
			sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
			defer cancel()
			if err := srv.Shutdown(sctx); err != nil {
				log.Warn("drain timed out; closing the remaining connections", "error", err)
				srv.Close()
			}
			log.Info("stopped")
			return nil
		}
	}
}

// reload loads the models again; onlyChanged skips those whose files did
// not change. A model that fails to load keeps its current version.
func reload(log *slog.Logger, met *metrics.Metrics, cat *catalog.Catalog, onlyChanged bool) {
	for _, e := range cat.Entries() {
		if e.Source().FS != nil || onlyChanged && !e.Changed() {
			continue
		}
		old, cur, err := e.Reload()
		met.Reloaded(e.Name(), err)
		if err != nil {
			log.Error("model reload failed; still serving the previous version", "model", e.Name(), "version", e.Model().Version(), "error", err)
			continue
		}
		met.ModelLoaded(cur, old)
		log.Info("model reloaded", "model", cur.Name(), "version", cur.Version(), "previous_version", old.Version(), "file", cur.ModelPath, "sha256", cur.SHA256)
	}
}

func newLogger(cfg *config, w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.logLevel}
	if cfg.logFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// startPprof serves the profiler on its own listener, apart from the API.
func startPprof(addr string, log *slog.Logger) (*http.Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	log.Info("profiler listening", "addr", ln.Addr().String())
	return srv, nil
}
