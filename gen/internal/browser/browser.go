package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// RequireEnv names the environment variable that turns a missing Chromium
// from a skipped test into a failed one. CI sets it to 1.
const RequireEnv = "GONGJIAN_REQUIRE_BROWSER"

// Browser is one running Chromium. Each visit opens its own tab, so tests
// may share one Browser, also in parallel.
type Browser struct {
	ctx     context.Context // the browser's chromedp context
	cancel  context.CancelFunc
	allocCx context.CancelFunc
	profile string
}

// Path returns the Chromium executable to use: $CHROMIUM, or
// /usr/bin/chromium. The error says what is missing and how to get it.
func Path() (string, error) {
	p := os.Getenv("CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("browser: no Chromium at %s (install Debian's chromium, e.g. via .ci/run, or set CHROMIUM): %w", p, err)
	}
	if fi.IsDir() || fi.Mode()&0o111 == 0 {
		return "", fmt.Errorf("browser: %s is not an executable file", p)
	}
	return p, nil
}

// Start launches a headless Chromium. Close ends it and removes its profile.
func Start(ctx context.Context) (*Browser, error) {
	exe, err := Path()
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp("", "gongjian-chromium-")
	if err != nil {
		return nil, fmt.Errorf("browser: %w", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(profile),
		chromedp.Flag("headless", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("mute-audio", true),
		// Tests often run as root, where Chromium refuses its sandbox.
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		// No name resolves except the loopback ones: a request to a CDN is
		// seen by the visit and fails at once instead of leaving the machine.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b := &Browser{ctx: bctx, cancel: bcancel, allocCx: acancel, profile: profile}
	start, scancel := context.WithTimeout(ctx, 60*time.Second)
	defer scancel()
	stop := context.AfterFunc(start, bcancel)
	// The first action on the browser context starts Chromium.
	err = chromedp.Do(bctx)
	stop()
	if err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: starting %s: %w", exe, err)
	}
	return b, nil
}

// Close ends Chromium, waits for it to exit and removes its profile.
func (b *Browser) Close() error {
	if b == nil {
		return nil
	}
	tctx, tcancel := context.WithTimeout(b.ctx, 10*time.Second)
	err := chromedp.Cancel(tctx)
	tcancel()
	b.cancel()
	b.allocCx()
	if rerr := os.RemoveAll(b.profile); err == nil {
		err = rerr
	}
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// shared is the package-wide browser that Run manages.
var shared struct {
	sync.Mutex
	managed bool // Run is in charge; New reuses b
	b       *Browser
	err     error
}

// Run runs the tests of m and then closes the Chromium that New started for
// them, so that all tests of a package share one browser process. Use it in
// TestMain: os.Exit(browser.Run(m)).
func Run(m *testing.M) int {
	shared.Lock()
	shared.managed = true
	shared.Unlock()
	code := m.Run()
	shared.Lock()
	defer shared.Unlock()
	if shared.b != nil {
		if err := shared.b.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "browser: closing Chromium:", err)
		}
		shared.b = nil
	}
	return code
}

// New returns a running Chromium for t. When Chromium is missing, t is
// skipped — or fails if GONGJIAN_REQUIRE_BROWSER=1, as in CI. Under Run the
// browser is shared by every test of the package; otherwise it belongs to t
// and closes when t ends.
func New(t testing.TB) *Browser {
	t.Helper()
	if _, err := Path(); err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%v (%s=1 requires a browser)", err, RequireEnv)
		}
		t.Skipf("skipping browser test: %v (set %s=1 to fail instead)", err, RequireEnv)
	}
	shared.Lock()
	managed := shared.managed
	shared.Unlock()
	if !managed {
		b, err := Start(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := b.Close(); err != nil {
				t.Errorf("closing Chromium: %v", err)
			}
		})
		return b
	}
	shared.Lock()
	defer shared.Unlock()
	if shared.b == nil && shared.err == nil {
		shared.b, shared.err = Start(context.Background())
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.b
}
