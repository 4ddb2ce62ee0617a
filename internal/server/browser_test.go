package server_test

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/tabserve/tabserve/internal/server"
)

// screenshot is where TestSwaggerUI -update saves its screenshot, shown in
// the README.
const screenshot = "../../docs/swagger-ui.png"

// chromium returns the path of a Chromium or Chrome, or "".
func chromium() string {
	if p := os.Getenv("TABSERVE_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestSwaggerUI drives Swagger UI at /docs in headless Chromium against a
// server started here: it expands the predict operation, tries it out with
// the example body (200 with a prediction), then with an out-of-range age
// (422 naming the field). Every request the page makes must go to the
// server: the UI works offline. With -update it saves the screenshot of
// the 200 to docs/swagger-ui.png.
func TestSwaggerUI(t *testing.T) {
	exe := chromium()
	if exe == "" && os.Getenv("CI") != "" {
		t.Fatal("no Chromium in CI: .ci/run installs Debian's chromium package")
	}
	if exe == "" {
		t.Skip("no Chromium found (apt-get install chromium, or set TABSERVE_CHROMIUM): skipping the Swagger UI browser test")
	}
	began := time.Now()
	ts := start(t, server.Config{}, loan)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1200, 1500),
	)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	var mu sync.Mutex
	var urls []string
	err := chromedp.Listen(bctx, func(ev any) { // starts the browser
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			urls = append(urls, e.Request.URL)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("starting %s: %v", exe, err)
	}
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}

	const (
		op       = "#operations-predictions-predict"
		body     = op + " textarea.body-param__text"
		status   = op + " .live-responses-table .response .response-col_status"
		response = op + " .live-responses-table .response .response-col_description"
	)
	// waitStatus waits until the live response shows the status code.
	waitStatus := func(code string) error {
		_, err := chromedp.Run(bctx, chromedp.Poll[bool](`(() => { const e = document.querySelector(`+jsString(status)+`); return !!e && e.innerText.trim().startsWith(`+jsString(code)+`); })()`,
			chromedp.WithPollingTimeout(30*time.Second)))
		return err
	}
	text := func(sel string) string {
		s, err := chromedp.Run(bctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return s
	}

	// Expand the predict operation, try it out with the example body.
	err = chromedp.Do(bctx,
		chromedp.Navigate(ts.URL+"/docs"),
		chromedp.WaitVisible(op),
		chromedp.Click(op+" .opblock-summary-control"),
		chromedp.WaitVisible(op+" .try-out__btn"),
		chromedp.Click(op+" .try-out__btn"),
		chromedp.WaitVisible(body),
	)
	if err != nil {
		t.Fatalf("opening the predict operation: %v", err)
	}
	example, err := chromedp.Run(bctx, chromedp.Value(body))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(example, `"age": 35`) {
		t.Errorf("the request body is %q; want the example, with \"age\": 35", example)
	}
	if err := chromedp.Do(bctx, chromedp.Click(op+" .execute")); err != nil {
		t.Fatal(err)
	}
	if err := waitStatus("200"); err != nil {
		t.Fatalf("waiting for a 200: %v (the response reads %q)", err, text(response))
	}
	if got := text(response); !strings.Contains(got, `"prediction"`) || !strings.Contains(got, `"approved"`) {
		t.Errorf("the 200 response reads %q; want a prediction", got)
	}
	// The operation at the top of the screenshot, from its title to the
	// response.
	scroll := `(() => { const e = document.querySelector(` + jsString(op) + `); window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 8); return true; })()`
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](scroll)); err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}

	// An out-of-range age, typed over the example.
	invalid := strings.Replace(example, `"age": 35`, `"age": 17`, 1)
	err = chromedp.Do(bctx,
		chromedp.Click(body),
		chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.KeyEvent("\b"),
		chromedp.SendKeys(body, invalid),
		chromedp.Click(op+" .execute"),
	)
	if err != nil {
		t.Fatalf("trying an out-of-range age: %v", err)
	}
	if err := waitStatus("422"); err != nil {
		t.Fatalf("waiting for a 422: %v (the response reads %q)", err, text(response))
	}
	bad := text(response)
	for _, want := range []string{`"VALIDATION_ERROR"`, `"field": "age"`, `"must be >= 18"`} {
		if !strings.Contains(bad, want) {
			t.Errorf("the 422 response reads %q; want it to contain %s", bad, want)
		}
	}

	mu.Lock()
	for _, u := range urls {
		if !strings.HasPrefix(u, ts.URL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page requested %s, off the server: Swagger UI must work offline", u)
		}
	}
	mu.Unlock()

	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 800 {
		t.Errorf("the screenshot is %v; want at least 800x800", b)
	}
	path := filepath.Join(t.TempDir(), "swagger-ui.png")
	if *update {
		path = screenshot
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("Swagger UI tried in %v; screenshot in %s", time.Since(began).Round(time.Millisecond), path)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
