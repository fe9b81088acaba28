package contract

import (
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/probekit/probekit/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite testdata/samples.golden from the demo's answers")

// golden holds the demo's answers that the README shows, normalized.
const golden = "testdata/samples.golden"

// TestReadmeSamples keeps the README's response samples true: it runs
// examples/nethttp, takes each answer the README shows, normalizes what
// changes from run to run (durations, times, counts, build information)
// and compares it with the golden file (-update rewrites the file); then
// it requires every README block marked <!-- sample: NAME --> to
// normalize to the golden answer NAME.
func TestReadmeSamples(t *testing.T) {
	t.Parallel()
	redis := testenv.StartRedis(t)
	a := start(t, example{bin: build(t, "./nethttp")}, append([]string{"REDIS_ADDR=" + redis.Addr()}, fast...)...)
	a.eventually("readiness passes", a.ready)

	live := map[string]string{}
	take := func(name, target string, header ...string) {
		code, body := a.getWith(target, header...)
		if code == 0 {
			t.Fatalf("GET %s: %s", target, body)
		}
		live[name] = normalize(body)
	}
	take("healthz", "/healthz")
	take("readyz", "/readyz")
	take("readyz-verbose", "/readyz?verbose")
	take("readyz-ietf", "/readyz", "Accept", "application/health+json")
	redis.Stop()
	a.eventually("the redis check fails", func() bool { return a.checkDown("redis") })
	take("readyz-redis-down", "/readyz")

	var want strings.Builder
	for _, name := range []string{"healthz", "readyz", "readyz-verbose", "readyz-ietf", "readyz-redis-down"} {
		want.WriteString("== " + name + " ==\n" + live[name] + "\n")
	}
	if *update {
		if err := os.WriteFile(golden, []byte(want.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update to write it)", err)
	}
	if string(b) != want.String() {
		t.Errorf("the demo's answers changed; if that is intended, run with -update and update the README.\ngot:\n%s\nwant (%s):\n%s", want.String(), golden, b)
	}

	readme, err := os.ReadFile(filepath.Join("..", "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	samples := readmeSamples(string(readme))
	if len(samples) == 0 {
		t.Fatal("README.md has no <!-- sample: NAME --> blocks")
	}
	for name, body := range samples {
		got, ok := live[name]
		switch {
		case !ok:
			t.Errorf("README.md sample %q: the test takes no such answer", name)
		case normalize(body) != got:
			t.Errorf("README.md sample %q does not match the demo's answer.\nREADME, normalized:\n%s\ndemo, normalized:\n%s", name, normalize(body), got)
		}
	}
}

// getWith is get without a token and with header pairs.
func (a *app) getWith(target string, header ...string) (int, string) {
	req, err := http.NewRequest(http.MethodGet, a.base+target, nil)
	if err != nil {
		a.t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var sampleBlock = regexp.MustCompile("(?s)<!-- sample: ([a-z-]+) -->\n```[a-z]*\n(.*?)```")

// readmeSamples returns the marked samples of md by name.
func readmeSamples(md string) map[string]string {
	out := map[string]string{}
	for _, m := range sampleBlock.FindAllStringSubmatch(md, -1) {
		out[m[1]] = m[2]
	}
	return out
}

// What changes from run to run, and what it is shown as.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	// The revision is there only when the binary was built from a clean
	// VCS checkout.
	{regexp.MustCompile(`"releaseId":"[^"]*",`), ``},
	{regexp.MustCompile(`"(duration|checked_at|time|version|serviceId)":"[^"]*"`), `"$1":"…"`},
	{regexp.MustCompile(`"(failures|observedValue)":[0-9.e+-]+`), `"$1":0`},
	{regexp.MustCompile(`(?m)^info: .*$`), `info: …`},
}

// normalize replaces what changes from run to run and trims the trailing
// newline.
func normalize(body string) string {
	for _, n := range normalizers {
		body = n.re.ReplaceAllString(body, n.with)
	}
	return strings.TrimRight(body, "\n")
}
