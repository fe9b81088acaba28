package core_test

// Fuzz targets for bad input: arbitrary query strings and Accept
// headers on every probe path, arbitrary check names and error texts, and
// passwords in every DSN and URL form. FuzzAppendJSONString and
// FuzzCleanError in render_internal_test.go cover the string helpers; these
// go through the public API.

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/probekit/probekit/core"
	"github.com/probekit/probekit/core/probehttp"
	"github.com/probekit/probekit/internal/testenv"
)

// badRune reports whether r must never appear raw in an error text: a
// control character (C0, DEL, C1) or a line or paragraph separator.
func badRune(r rune) bool {
	return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029'
}

// checkJSONBody asserts that body is one JSON object with no character
// that HTML would read as markup and no raw line separator, and decodes it.
func checkJSONBody(t *testing.T, what string, body []byte) map[string]any {
	t.Helper()
	if !json.Valid(body) {
		t.Fatalf("%s: invalid JSON %q", what, body)
	}
	if i := strings.IndexAny(string(body), "<>&\u2028\u2029"); i >= 0 {
		t.Fatalf("%s: unescaped %q at %d in %s", what, body[i], i, body)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("%s: %v in %s", what, err, body)
	}
	return v
}

// checkTextBody asserts that a verbose body is valid UTF-8 lines without
// control characters, ending in a newline, and returns the lines.
func checkTextBody(t *testing.T, what string, body []byte) []string {
	t.Helper()
	s := string(body)
	if !utf8.ValidString(s) || !strings.HasSuffix(s, "\n") {
		t.Fatalf("%s: text body %q is not valid UTF-8 ending in a newline", what, s)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for _, l := range lines {
		if strings.IndexFunc(l, badRune) >= 0 {
			t.Fatalf("%s: control character in text line %q", what, l)
		}
	}
	return lines
}

// queryFormat is the oracle for which format a request asks for: the
// last verbose parameter among the first 64 parameters (unless 0 or
// false) selects text, then application/health+json in the first 4 KiB of
// Accept selects IETF. It also returns the exclude values among those
// parameters.
func queryFormat(rawQuery, accept string) (ct string, exclude map[string]bool) {
	verbose := false
	exclude = map[string]bool{}
	params := strings.Split(rawQuery, "&")
	if rawQuery == "" {
		params = nil
	}
	for i, p := range params {
		if i == 64 {
			break
		}
		k, v, _ := strings.Cut(p, "=")
		switch k {
		case "verbose":
			verbose = v != "0" && v != "false"
		case "exclude":
			if n, err := url.QueryUnescape(v); err == nil {
				exclude[n] = true
			}
		}
	}
	if len(accept) > 4096 {
		accept = accept[:4096]
	}
	switch {
	case verbose:
		return probehttp.ContentTypeText, exclude
	case strings.Contains(strings.ToLower(accept), "application/health+json"):
		return probehttp.ContentTypeIETF, exclude
	default:
		return probehttp.ContentTypeJSON, exclude
	}
}

// queryPaths are the paths FuzzRespondQuery picks from, with the checks
// each shows (nil: an unknown check, 404).
var queryPaths = []struct {
	path   string
	checks []string
}{
	{"/readyz", []string{"redis", "db", "cache"}},
	{"/healthz", []string{"loop"}},
	{"/livez", []string{"loop"}},
	{"/startupz", []string{"boot"}},
	{"/readyz/db", []string{"db"}},
	{"/readyz/redis", []string{"redis"}},
	{"/healthz/loop", []string{"loop"}},
	{"/readyz/nosuch", nil},
}

// fuzzAccepts are the Accept headers FuzzRespondQuery picks from when its
// own accept input is empty.
var fuzzAccepts = []string{"", "application/json", "application/health+json", "APPLICATION/HEALTH+JSON;q=0.9, */*", "text/html"}

// maxBody bounds any probe answer of the FuzzRespondQuery Health: a few
// checks, one hold and at most 64 unknown exclude names of at most 63
// bytes. It does not grow with the query.
const maxBody = 4096 + 64*(core.MaxNameLen+4)

func FuzzRespondQuery(f *testing.F) {
	seeds := []string{
		"", "verbose", "verbose=1", "verbose=0", "verbose=false", "verbose&verbose=0", "exclude=db", "exclude=db&exclude=db",
		"exclude=db&exclude=warmup", "exclude=db&exclude=warmup&verbose", "exclude=nosuch&verbose", "exclude=%64b", "exclude=%zz",
		"exclude=%00", "exclude=\xff\xfe", "exclude=" + strings.Repeat("a", 64), "exclude", "exclude=", "&&&", "=", "verbose=%ff",
		strings.Repeat("exclude=x&", 100) + "exclude=db", strings.Repeat("verbose&", 70) + "verbose=0", "exclude=db;exclude=redis",
		"exclude=db%26exclude%3Dwarmup", "exclude=d+b", "exclude=-db", strings.Repeat("exclude=n", 10000),
	}
	for i, q := range seeds {
		f.Add(uint8(i), q, "")
	}
	f.Add(uint8(0), "verbose", "application/health+json")
	f.Add(uint8(0), "", strings.Repeat("x", 5000)+"application/health+json")
	f.Add(uint8(0), "exclude=db", "Application/Health+JSON")

	fail := errors.New("connect postgres://app:hunter2@db:5432/app: refused")
	pass := core.CheckerFunc(func(context.Context) error { return nil })
	h, err := core.New(
		core.WithLogger(nil),
		core.WithCheckDefaults(core.Interval(time.Hour), core.FailureThreshold(1)),
		core.WithCheck("redis", pass),
		core.WithCheck("db", core.CheckerFunc(func(context.Context) error { return fail })),
		core.WithCheck("cache", core.CheckerFunc(func(context.Context) error { return fail }), core.Critical(false)),
		core.WithCheck("loop", pass, core.ForProbes(core.Liveness)),
		core.WithCheck("boot", pass, core.ForProbes(core.Startup)),
	)
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = h.Close() })
	if err := h.Hold("warmup", "loading <caches> & \"indexes\""); err != nil {
		f.Fatal(err)
	}
	if err := h.Start(context.Background()); err != nil {
		f.Fatal(err)
	}
	testenv.Eventually(f, 10*time.Second, func() error {
		for _, c := range h.Checks() {
			if c.Checked.IsZero() {
				return errors.New("check " + c.Name + " has no result yet")
			}
		}
		return nil
	})

	f.Fuzz(func(t *testing.T, sel uint8, query, accept string) {
		p := queryPaths[int(sel)%len(queryPaths)]
		if accept == "" {
			accept = fuzzAccepts[int(sel>>4)%len(fuzzAccepts)]
		}
		method := "GET"
		if sel&8 != 0 {
			method = "HEAD"
		}
		details := sel&128 != 0
		what := method + " " + p.path + "?" + query
		r := probehttp.Respond(h, probehttp.Request{Method: method, Path: p.path, RawQuery: query, Accept: accept, Details: details})
		if r == nil {
			t.Fatalf("Respond(%s) = nil; want an answer", what)
		}
		body := r.Body()
		if len(body) > maxBody {
			t.Fatalf("Respond(%s): %d-byte body; want at most %d whatever the query", what, len(body), maxBody)
		}
		if p.checks == nil {
			if r.StatusCode() != 404 || r.ContentType() != probehttp.ContentTypeJSON {
				t.Fatalf("Respond(%s) = %d %s; want 404 JSON", what, r.StatusCode(), r.ContentType())
			}
			checkJSONBody(t, what, body)
			return
		}
		if c := r.StatusCode(); c != 200 && c != 503 {
			t.Fatalf("Respond(%s) = %d; want 200 or 503", what, c)
		}
		wantCT, exclude := queryFormat(query, accept)
		if r.ContentType() != wantCT {
			t.Fatalf("Respond(%s) Content-Type %q; want %q (Accept %q)", what, r.ContentType(), wantCT, accept)
		}
		aggregate := !strings.Contains(p.path[1:], "/")
		var shown []string
		for _, c := range p.checks {
			if !aggregate || !exclude[c] {
				shown = append(shown, c)
			}
		}
		switch wantCT {
		case probehttp.ContentTypeJSON:
			v := checkJSONBody(t, what, body)
			checks, _ := v["checks"].(map[string]any)
			if len(checks) != len(shown) {
				t.Fatalf("Respond(%s): checks %v; want %v", what, checks, shown)
			}
			for _, c := range shown {
				if _, ok := checks[c]; !ok {
					t.Fatalf("Respond(%s): check %q missing from %s", what, c, body)
				}
			}
			if !details && strings.Contains(string(body), "hunter2") {
				t.Fatalf("Respond(%s) leaks the password: %s", what, body)
			}
		case probehttp.ContentTypeIETF:
			v := checkJSONBody(t, what, body)
			if s := v["status"]; s != "pass" && s != "warn" && s != "fail" {
				t.Fatalf("Respond(%s): IETF status %v", what, s)
			}
		case probehttp.ContentTypeText:
			lines := checkTextBody(t, what, body)
			for _, c := range p.checks {
				n := 0
				for _, l := range lines {
					if strings.HasPrefix(l, "[+]"+c+" ") || strings.HasPrefix(l, "[-]"+c+" ") {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("Respond(%s): %d lines for check %q in %q; want 1", what, n, c, body)
				}
			}
		}
		// Readiness: db (critical, failing) and the hold make it 503
		// unless both are excluded.
		if p.path == "/readyz" {
			want := 503
			if exclude["db"] && exclude["warmup"] {
				want = 200
			}
			if r.StatusCode() != want {
				t.Fatalf("Respond(%s) = %d; want %d", what, r.StatusCode(), want)
			}
		}
	})
}

// FuzzRenderCheck registers a check under an arbitrary name that fails with
// an arbitrary error text: an invalid name is an error from New; a valid
// one renders as valid JSON, IETF JSON and text in every view.
func FuzzRenderCheck(f *testing.F) {
	for _, s := range [][2]string{
		{"db", "connect: refused"}, {"a", ""}, {"A.b_c-9", "<script>alert(1)</script> & \"quoted\""},
		{"x", "line1\nline2\r\n\ttab\x00nul\x7fdel\u0085nel\u2028ls"}, {"x", "\xff\xfe invalid \xc3"},
		{strings.Repeat("n", 63), strings.Repeat("é", 2000)}, {strings.Repeat("n", 64), "too long a name"},
		{"", "empty name"}, {"-db", "leading dash"}, {".db", "leading dot"}, {"d b", "space"}, {"db/x", "slash"},
		{"d\"b", "quote"}, {"dé", "non-ASCII"}, {"db\n", "newline"}, {"db\x00", "NUL"}, {"r", `\u0000 "\\" \"`},
		{"x", "dial redis://:hunter2@h:6379: refused"}, {"x", "{\"status\":\"ok\"}"}, {"x", "[+]db ok"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, name, errText string) {
		if got := core.ValidName(name); got != testenv.CheckName(name) {
			t.Fatalf("ValidName(%q) = %v; the documented charset says %v", name, got, !got)
		}
		fail := core.CheckerFunc(func(context.Context) error { return errors.New(errText) })
		if !testenv.CheckName(name) {
			if h, err := core.New(core.WithLogger(nil), core.WithCheck(name, fail)); err == nil {
				_ = h.Close()
				t.Fatalf("New(WithCheck(%q)) = nil error; want the invalid name rejected", name)
			}
			return
		}
		other := "ok-check"
		if name == other {
			other = "ok-check2"
		}
		synctest.Test(t, func(t *testing.T) {
			h, err := core.New(
				core.WithLogger(nil),
				core.WithDetails(true),
				core.WithCheckDefaults(core.Interval(time.Hour), core.FailureThreshold(1)),
				core.WithCheck(other, core.CheckerFunc(func(context.Context) error { return nil })),
				core.WithCheck(name, fail),
			)
			if err != nil {
				t.Fatalf("New(WithCheck(%q)) = %v; want a valid name accepted", name, err)
			}
			defer func() { _ = h.Close() }()
			if err := h.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
			stored := h.Checks()[1].Err
			if utf8.ValidString(errText) && strings.IndexFunc(errText, badRune) < 0 && len(errText) <= maxErrorLen {
				if want := core.Redact(errText); stored != want {
					t.Fatalf("stored error %q; want the redacted text %q", stored, want)
				}
			}
			if !utf8.ValidString(stored) || strings.IndexFunc(stored, badRune) >= 0 || len(stored) > maxErrorLen {
				t.Fatalf("stored error %q: want valid UTF-8, no control characters, at most %d bytes", stored, maxErrorLen)
			}
			for _, path := range []string{"/readyz", "/readyz/" + name} {
				for _, fm := range []struct{ query, accept, ct string }{
					{"", "", probehttp.ContentTypeJSON},
					{"", "application/health+json", probehttp.ContentTypeIETF},
					{"verbose", "", probehttp.ContentTypeText},
				} {
					what := path + "?" + fm.query + " Accept: " + fm.accept
					r := probehttp.Respond(h, probehttp.Request{Method: "GET", Path: path, RawQuery: fm.query, Accept: fm.accept})
					if r == nil || r.ContentType() != fm.ct {
						t.Fatalf("Respond(%s) = %v; want %s", what, r, fm.ct)
					}
					body := r.Body()
					switch fm.ct {
					case probehttp.ContentTypeJSON:
						v := checkJSONBody(t, what, body)
						c, _ := v["checks"].(map[string]any)[name].(map[string]any)
						if got, _ := c["error"].(string); got != stored {
							t.Fatalf("Respond(%s): error %q; want %q", what, got, stored)
						}
					case probehttp.ContentTypeIETF:
						v := checkJSONBody(t, what, body)
						e, _ := v["checks"].(map[string]any)[name+":responseTime"].([]any)
						if len(e) != 1 {
							t.Fatalf("Respond(%s): no single %s:responseTime entry in %s", what, name, body)
						}
						if got, _ := e[0].(map[string]any)["output"].(string); got != stored {
							t.Fatalf("Respond(%s): output %q; want %q", what, got, stored)
						}
					case probehttp.ContentTypeText:
						lines := checkTextBody(t, what, body)
						reason := stored
						if reason == "" {
							reason = "reason withheld"
						}
						want := []string{"[-]" + name + " failed: " + reason}
						if path == "/readyz" {
							want = append(want, "[+]"+other+" ok")
						}
						n := 0
						for _, l := range lines {
							if strings.HasPrefix(l, "[") {
								n++
								if !contains(want, l) {
									t.Fatalf("Respond(%s): line %q; want one of %q", what, l, want)
								}
							}
						}
						if n != len(want) {
							t.Fatalf("Respond(%s): %d check lines in %q; want %d", what, n, body, len(want))
						}
					}
				}
			}
		})
	})
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// rawSink is a slog.Handler that keeps the message and the raw string
// value of every attribute, unescaped, so that a secret is found whatever
// a real handler's quoting would make of it.
type rawSink struct {
	mu   sync.Mutex
	text []string
}

func (s *rawSink) Enabled(context.Context, slog.Level) bool { return true }
func (s *rawSink) WithAttrs(as []slog.Attr) slog.Handler {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range as {
		s.text = append(s.text, a.Value.String())
	}
	return s
}
func (s *rawSink) WithGroup(string) slog.Handler { return s }
func (s *rawSink) Handle(_ context.Context, r slog.Record) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text = append(s.text, r.Message)
	r.Attrs(func(a slog.Attr) bool {
		s.text = append(s.text, a.Value.String())
		return true
	})
	return nil
}

// dsnForms put a password into an error text the way drivers and apps
// print connection strings. Each returns the text and the secret as it
// appears in it (encoded when the form encodes).
var dsnForms = []func(pw string) (text, secret string){
	func(pw string) (string, string) { // URL userinfo, encoded as net/url does
		u := url.UserPassword("app", pw).String()
		return "connect postgres://" + u + "@db.internal:5432/app?sslmode=disable: refused", strings.TrimPrefix(u, "app:")
	},
	func(pw string) (string, string) { // redis URL, password only
		u := url.UserPassword("", pw).String()
		return "dial redis://" + u + "@cache:6379/0: i/o timeout", strings.TrimPrefix(u, ":")
	},
	func(pw string) (string, string) { // quoted URL in an error
		u := url.UserPassword("u", pw).String()
		return `parse "mysql://` + u + `@tcp(db:3306)/app": invalid`, strings.TrimPrefix(u, "u:")
	},
	func(pw string) (string, string) { // go-sql-driver/mysql DSN: raw password
		pw = strings.Map(func(r rune) rune {
			if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"'<>`, r) {
				return -1
			}
			return r
		}, pw)
		return "open root:" + pw + "@tcp(127.0.0.1:3306)/test?parseTime=true: access denied", pw
	},
	func(pw string) (string, string) { // libpq key=value, quoted when it must be
		pw = strings.ToValidUTF8(strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f {
				return -1
			}
			return r
		}, pw), "")
		v := pw
		if pw == "" || strings.ContainsAny(pw, " '\\") {
			v = "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(pw) + "'"
		}
		return "host=db port=5432 user=app password=" + v + " dbname=app sslmode=disable: refused", pw
	},
	func(pw string) (string, string) { // a query parameter, encoded
		q := url.QueryEscape(pw)
		return "GET https://api.internal/v1/health?user=app&password=" + q + "&x=1: 401", q
	},
	func(pw string) (string, string) { // a token query parameter, encoded
		q := url.QueryEscape(pw)
		return "Get \"http://10.0.0.5/status?token=" + q + "\": context deadline exceeded", q
	},
	func(pw string) (string, string) { // an environment variable with a prefixed key
		pw = bareWord(pw)
		return "config: REDIS_PASSWORD=" + pw + " REDIS_HOST=cache: rejected", pw
	},
	func(pw string) (string, string) { // an Authorization header with its scheme
		pw = bareWord(pw)
		return "upstream said 401 to Authorization: Token " + pw + " (retrying)", pw
	},
}

// bareWord is pw as it can stand unquoted in a line of text: no spaces,
// quotes or control characters, valid UTF-8.
func bareWord(pw string) string {
	return strings.ToValidUTF8(strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f || strings.ContainsRune(`"'`, r) {
			return -1
		}
		return r
	}, pw), "")
}

// leaks returns a piece of secret (its whole, or any 6-byte window of it)
// that occurs in got but not in baseline.
func leaks(secret, baseline, got string) string {
	if len(secret) < 4 {
		return ""
	}
	n := min(len(secret), 6)
	for i := 0; i+n <= len(secret); i++ {
		w := secret[i : i+n]
		if strings.Contains(got, w) && !strings.Contains(baseline, w) {
			return w
		}
	}
	return ""
}

// FuzzRedactSecret puts a password into every DSN and URL form and fails
// a check with it: no piece of it may reach a body (any format), a log
// line, a listener's Event or Checks.
func FuzzRedactSecret(f *testing.F) {
	for _, pw := range []string{"hunter2", "p@ss:w/rd", "s3cr;et,pw&x", "pa ss'wo\\rd", "\"quoted\"", "<html>&amp;", "%41%42%43%44",
		"xxxxx", "pässwörd", "a\nb\rc\td", "secret@tcp(h)/", "tok=en==", "Bearer abcdef", "'leading", "trailing\\"} {
		for form := range dsnForms {
			f.Add(pw, uint8(form))
		}
	}
	f.Fuzz(func(t *testing.T, pw string, form uint8) {
		text, secret := dsnForms[int(form)%len(dsnForms)](pw)
		clean := strings.Replace(text, secret, "xxxxx", 1)
		if len(secret) < 4 || strings.Contains(clean, secret) || len(text) > maxErrorLen {
			return // a trivial secret, or one the rest of the text contains anyway
		}
		got := secretOutputs(t, text)
		if !strings.Contains(got[0], "xxxxx") {
			t.Errorf("Checks().Err = %q; want the secret replaced by xxxxx", got[0])
		}
		// What the same failure shows with the secret already replaced:
		// a piece of the secret found there is no leak.
		baseline := clean + "\n" + strings.Join(secretOutputs(t, clean), "\n")
		for _, o := range got {
			if w := leaks(secret, baseline, o); w != "" {
				t.Fatalf("secret %q (piece %q) of %q survives in %s", secret, w, text, o)
			}
		}
	})
}

// secretOutputs fails a check with text and returns everything the Health
// then shows of it: Checks, every body format (JSON bodies also decoded),
// the listener's events and the log. The first is Checks' Err.
func secretOutputs(t *testing.T, text string) []string {
	var outs []string
	fail := core.CheckerFunc(func(context.Context) error { return errors.New(text) })
	synctest.Test(t, func(t *testing.T) {
		sink := &rawSink{}
		var mu sync.Mutex
		var events []string
		h, err := core.New(
			core.WithLogger(slog.New(sink)),
			core.WithDetails(true),
			core.WithCheckDefaults(core.Interval(time.Hour), core.FailureThreshold(1)),
			core.WithCheck("db", fail),
		)
		if err != nil {
			t.Fatal(err)
		}
		h.Listen(func(ev core.Event) {
			mu.Lock()
			events = append(events, ev.Err)
			mu.Unlock()
		})
		defer func() { _ = h.Close() }()
		if err := h.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		outs = append(outs, "Checks: "+h.Checks()[0].Err)
		for _, req := range []probehttp.Request{
			{Method: "GET", Path: "/readyz"},
			{Method: "GET", Path: "/readyz/db"},
			{Method: "GET", Path: "/readyz", Accept: "application/health+json"},
			{Method: "GET", Path: "/readyz", RawQuery: "verbose"},
			{Method: "GET", Path: "/readyz/db", RawQuery: "verbose"},
		} {
			body := string(probehttp.Respond(h, req).Body())
			outs = append(outs, "body "+req.Path+"?"+req.RawQuery+" "+req.Accept+": "+body)
			if req.RawQuery == "" { // JSON: the decoded strings too
				var v any
				_ = json.Unmarshal([]byte(body), &v)
				outs = append(outs, "decoded "+req.Path+" "+req.Accept+": "+strings.Join(jsonStrings(v, nil), " "))
			}
		}
		_ = h.Close()
		synctest.Wait()
		mu.Lock()
		for _, e := range events {
			outs = append(outs, "event: "+e)
		}
		mu.Unlock()
		sink.mu.Lock()
		outs = append(outs, "log: "+strings.Join(sink.text, " | "))
		sink.mu.Unlock()
	})
	return outs
}

// jsonStrings collects every string (keys and values) in a decoded JSON
// value.
func jsonStrings(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		out = append(out, v)
	case []any:
		for _, x := range v {
			out = jsonStrings(x, out)
		}
	case map[string]any:
		for k, x := range v {
			out = jsonStrings(x, append(out, k))
		}
	}
	return out
}

// maxErrorLen is the length core cuts an error text to.
const maxErrorLen = 1024
