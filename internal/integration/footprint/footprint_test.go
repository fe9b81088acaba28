// Package footprint checks what probekit costs a user's module: throwaway
// apps, written as a user would write them, are tidied against the local
// probekit modules, with and without their probekit imports, and the
// difference must be probekit itself and nothing else.
package footprint

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// app is a user's main package: its imports beyond the standard library,
// its body without probekit, and the lines probekit adds.
type app struct {
	name    string
	imports []string // third-party packages the app imports itself
	body    string
	probes  []string // probekit packages
	probe   string   // what the app adds to use them
}

const redisApp = `rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	db, _ := sql.Open("postgres", "postgres://localhost/app") // the app's driver registers itself elsewhere
	_, _ = rdb, db
`

const checks = `h, _ := core.New(core.WithCheck("redis", redischeck.New(rdb)), core.WithCheck("db", sqlcheck.New(db)))
	defer h.Close()
`

var apps = []app{
	{
		name:   "core-only",
		body:   "var handler http.Handler = http.NotFoundHandler()\n",
		probes: []string{"core", "adapters/httpprobe", "core/checks/tcpcheck"},
		probe:  "h, _ := core.New(core.WithCheck(\"db\", tcpcheck.New(\"db:5432\")))\n\thandler = httpprobe.Wrap(h, handler)\n",
	},
	{
		name:    "nethttp",
		imports: []string{"github.com/redis/go-redis/v9"},
		body:    redisApp + "\tvar handler http.Handler = http.NotFoundHandler()\n",
		probes:  []string{"core", "adapters/httpprobe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\thandler = httpprobe.Wrap(h, handler)\n",
	},
	{
		name:    "gin",
		imports: []string{"github.com/redis/go-redis/v9", "github.com/gin-gonic/gin"},
		body:    redisApp + "\tr := gin.New()\n\tvar handler http.Handler = r\n",
		probes:  []string{"core", "adapters/ginprobe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\tr.Use(ginprobe.Middleware(h))\n",
	},
	{
		name:    "echo",
		imports: []string{"github.com/redis/go-redis/v9", "github.com/labstack/echo/v4"},
		body:    redisApp + "\te := echo.New()\n\tvar handler http.Handler = e\n",
		probes:  []string{"core", "adapters/echoprobe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\te.Pre(echoprobe.Middleware(h))\n",
	},
	{
		name:    "fiber",
		imports: []string{"github.com/redis/go-redis/v9", "github.com/gofiber/fiber/v2"},
		body:    redisApp + "\tapp := fiber.New()\n\tgo app.Listen(\":8081\")\n\tvar handler http.Handler = http.NotFoundHandler()\n",
		probes:  []string{"core", "adapters/fiberprobe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\tapp.Use(fiberprobe.New(h))\n",
	},
	{
		name:    "echov5",
		imports: []string{"github.com/redis/go-redis/v9", "github.com/labstack/echo/v5"},
		body:    redisApp + "\te := echo.New()\n\tvar handler http.Handler = e\n",
		probes:  []string{"core", "adapters/echov5probe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\te.Pre(echov5probe.Middleware(h))\n",
	},
	{
		name:    "fiberv3",
		imports: []string{"github.com/redis/go-redis/v9", "github.com/gofiber/fiber/v3"},
		body:    redisApp + "\tapp := fiber.New()\n\tgo app.Listen(\":8081\")\n\tvar handler http.Handler = http.NotFoundHandler()\n",
		probes:  []string{"core", "adapters/fiberv3probe", "core/checks/redischeck", "core/checks/sqlcheck"},
		probe:   checks + "\tapp.Use(fiberv3probe.New(h))\n",
	},
	{
		// An app that exports through the OTel API (its SDK set up in
		// another package) gets the API from otelprobe, never the SDK.
		name:    "otel",
		imports: []string{"go.opentelemetry.io/otel"},
		body:    "_ = otel.GetMeterProvider()\n\tvar handler http.Handler = http.NotFoundHandler()\n",
		probes:  []string{"core", "adapters/httpprobe", "adapters/otelprobe", "core/checks/tcpcheck"},
		probe:   "h, _ := core.New(core.WithCheck(\"db\", tcpcheck.New(\"db:5432\")))\n\t_, _ = otelprobe.Register(h)\n\thandler = httpprobe.Wrap(h, handler)\n",
	},
}

// foreign names, by module path prefix, what each integration brings; an
// app may have in its graph only those of the integrations it imports.
var foreign = map[string][]string{
	"gin":        {"github.com/gin-gonic/"},
	"echo":       {"github.com/labstack/"},
	"fiber":      {"github.com/gofiber/", "github.com/valyala/fasthttp"},
	"grpc":       {"google.golang.org/grpc"},
	"prometheus": {"github.com/prometheus/"},
	"redis":      {"github.com/redis/"},
	"pgx":        {"github.com/jackc/"},
	"mysql":      {"github.com/go-sql-driver/"},
	"sqlite":     {"modernc.org/"},
	"goose":      {"github.com/pressly/"},
	"migrate":    {"github.com/golang-migrate/"},
	"miniredis":  {"github.com/alicebob/", "github.com/yuin/gopher-lua"},
	"otel-sdk":   {"go.opentelemetry.io/otel/sdk", "go.opentelemetry.io/otel/exporters/"},
}

// allowedExtra are the modules other than probekit's own that probekit may
// add to a user's graph: the root module's only requirement, a test helper.
var allowedExtra = []string{"go.uber.org/goleak"}

func TestFootprint(t *testing.T) {
	if testing.Short() {
		t.Skip("tidies throwaway modules: not in -short")
	}
	local := localModules(t)
	versions := selected(t)
	for _, a := range apps {
		t.Run(a.name, func(t *testing.T) {
			t.Parallel()
			r := tidy(t, a, local, versions)
			own := r.withoutProbekit()
			direct := r.probekitImports()
			// A module probekit imports itself may be raised to probekit's
			// floor (fasthttp for fiberprobe, say), and so may what that
			// version of it requires: the framework's own dependencies.
			via := r.requiredBy(direct)
			var added []string
			for _, m := range r.modules {
				ver := r.versions[m]
				floor, ok := own[m]
				switch {
				case isProbekit(m) || slices.Contains(allowedExtra, m) || via[m]:
				case !ok:
					added = append(added, m)
				case ver != floor:
					t.Errorf("%s app: probekit moved %s from %s to %s; only modules probekit imports itself, and their requirements, may move", a.name, m, floor, ver)
				}
			}
			if len(added) > 0 {
				t.Errorf("%s app: probekit added %d modules beyond its own: %v", a.name, len(added), added)
			}
			for name, prefixes := range foreign {
				if slices.ContainsFunc(a.imports, func(p string) bool { return hasAnyPrefix(p, prefixes) }) {
					continue
				}
				for _, line := range append(slices.Clone(r.modules), r.sum...) {
					if hasAnyPrefix(line, prefixes) {
						t.Errorf("%s app: %s (%s) in its graph or go.sum, though it does not use %s", a.name, line, name, name)
					}
				}
			}
			t.Logf("%s app: go.sum %d lines, %d modules; probekit's own modules and %v, no other", a.name, len(r.sum), len(r.modules), allowedExtra)
		})
	}
}

// result is what tidying an app left.
type result struct {
	t        *testing.T
	dir      string
	probes   []string          // the probekit packages the app imports
	modules  []string          // go list -m all, paths, main module excluded
	versions map[string]string // path → version
	sum      []string          // go.sum lines
}

// withoutProbekit returns the highest version of each module that the
// app's module graph reaches without passing through a probekit module:
// what the app would select without probekit.
func (r result) withoutProbekit() map[string]string {
	edges := map[string][]string{}
	for line := range strings.Lines(run(r.t, r.dir, "go", "mod", "graph")) {
		from, to, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok {
			edges[from] = append(edges[from], to)
		}
	}
	own := map[string]string{}
	seen := map[string]bool{}
	queue := []string{"example.com/app"}
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		for _, next := range edges[node] {
			path, ver, _ := strings.Cut(next, "@")
			if seen[next] || isProbekit(path) {
				continue
			}
			seen[next] = true
			if semverLess(own[path], ver) {
				own[path] = ver
			}
			queue = append(queue, next)
		}
	}
	return own
}

// requiredBy returns the modules that the selected versions of mods
// require, directly or not, and mods themselves.
func (r result) requiredBy(mods []string) map[string]bool {
	edges := map[string][]string{}
	for line := range strings.Lines(run(r.t, r.dir, "go", "mod", "graph")) {
		from, to, ok := strings.Cut(strings.TrimSpace(line), " ")
		if ok {
			edges[from] = append(edges[from], to)
		}
	}
	reached := map[string]bool{}
	var queue []string
	for _, m := range mods {
		reached[m] = true
		queue = append(queue, m+"@"+r.versions[m])
		// A pruned module graph leaves out the requirements of a module the
		// app does not require itself; its go.mod (in the module cache,
		// which tidy filled) lists them all.
		for _, req := range requirements(r.t, m, r.versions[m]) {
			reached[req] = true
		}
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		node := queue[0]
		queue = queue[1:]
		for _, next := range edges[node] {
			if seen[next] {
				continue
			}
			seen[next] = true
			path, _, _ := strings.Cut(next, "@")
			reached[path] = true
			queue = append(queue, next)
		}
	}
	return reached
}

// requirements returns the module paths that the go.mod of module path at
// version requires, read from the module cache; none if it is not there.
func requirements(t *testing.T, path, version string) []string {
	t.Helper()
	if version == "" {
		return nil
	}
	cache := strings.TrimSpace(run(t, ".", "go", "env", "GOMODCACHE"))
	b, err := os.ReadFile(filepath.Join(cache, "cache", "download", escapePath(path), "@v", version+".mod"))
	if err != nil {
		return nil
	}
	var out []string
	inBlock := false
	for line := range strings.Lines(string(b)) {
		f := strings.Fields(line)
		switch {
		case len(f) == 0:
		case f[0] == "require" && len(f) >= 2 && f[1] == "(":
			inBlock = true
		case f[0] == ")":
			inBlock = false
		case f[0] == "require" && len(f) >= 3:
			out = append(out, f[1])
		case inBlock && len(f) >= 2:
			out = append(out, f[0])
		}
	}
	return out
}

// escapePath escapes a module path as the module cache does: each
// upper-case letter becomes '!' and its lower case.
func escapePath(path string) string {
	var b strings.Builder
	for _, r := range path {
		if 'A' <= r && r <= 'Z' {
			b.WriteByte('!')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// probekitImports returns the modules that the app's probekit packages
// import directly: the framework or client an integration exists for,
// which may set a floor on the app's version.
func (r result) probekitImports() []string {
	var mods []string
	for _, p := range r.probes {
		out := run(r.t, r.dir, "go", "list", "-f", `{{join .Imports "\n"}}`, "github.com/probekit/probekit/"+p)
		for imp := range strings.Lines(out) {
			if m := moduleOf(strings.TrimSpace(imp)); strings.Contains(m, ".") && !slices.Contains(mods, m) {
				mods = append(mods, m)
			}
		}
	}
	return mods
}

// tidy writes the app to a new module, runs go mod tidy offline and reads
// the module graph and go.sum. Tidy runs with -e: an app selects some
// modules at lower versions than the workspace does, and on a fresh
// machine their zips (and the test dependencies of the app's own
// dependencies) are not in the module cache. The module graph comes from
// go.mod files, which the workspace has loaded, so it is complete either
// way; go.sum then lacks the hashes of the missing zips.
func tidy(t *testing.T, a app, local, versions map[string]string) result {
	t.Helper()
	dir := t.TempDir()
	imports := append([]string{"database/sql", "net/http"}, a.imports...)
	body := a.body
	mod := "module example.com/app\n\ngo 1.26\n"
	for _, p := range a.imports {
		m := moduleOf(p)
		mod += fmt.Sprintf("require %s %s\n", m, versions[m])
	}
	for _, p := range a.probes {
		imports = append(imports, "github.com/probekit/probekit/"+p)
	}
	body += "\t" + a.probe
	for path, d := range local {
		mod += fmt.Sprintf("replace %s => %s\n", path, d)
	}
	var src strings.Builder
	src.WriteString("package main\n\nimport (\n")
	for _, p := range imports {
		fmt.Fprintf(&src, "\t%q\n", p)
	}
	fmt.Fprintf(&src, ")\n\nfunc main() {\n\t%s\t_ = http.ListenAndServe(\":8080\", handler)\n}\n", body)
	write(t, filepath.Join(dir, "go.mod"), mod)
	write(t, filepath.Join(dir, "main.go"), src.String())

	run(t, dir, "go", "mod", "tidy", "-e")
	out := run(t, dir, "go", "list", "-m", "-e", "-f", "{{if not .Main}}{{.Path}} {{.Version}}{{end}}", "all")
	r := result{t: t, dir: dir, probes: a.probes, versions: map[string]string{}}
	for line := range strings.Lines(out) {
		if f := strings.Fields(line); len(f) > 0 {
			r.modules = append(r.modules, f[0])
			if len(f) > 1 {
				r.versions[f[0]] = f[1]
			}
		}
	}
	sum, err := os.ReadFile(filepath.Join(dir, "go.sum"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(sum)) {
		r.sum = append(r.sum, strings.TrimSpace(line))
	}
	return r
}

// localModules returns the workspace's probekit modules that a user can
// import (not the examples, the benchmarks or these tests), path → dir.
func localModules(t *testing.T) map[string]string {
	t.Helper()
	out := run(t, ".", "go", "list", "-m", "-f", "{{.Path}} {{.Dir}}")
	m := map[string]string{}
	for line := range strings.Lines(out) {
		path, d, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case strings.HasSuffix(path, "/examples"), strings.HasSuffix(path, "/bench"), strings.HasSuffix(path, "/test"), strings.Contains(path, "/internal/"):
			continue
		}
		m[path] = d
	}
	if len(m) < 5 {
		t.Fatalf("go list -m found %d probekit modules (%v); want the workspace's", len(m), m)
	}
	return m
}

// selected returns the workspace's selected version of the modules the
// apps import themselves, so that an app without probekit starts from the
// versions probekit was tested with.
func selected(t *testing.T) map[string]string {
	t.Helper()
	args := []string{"list", "-m", "-f", "{{.Path}} {{.Version}}"}
	for _, a := range apps {
		for _, p := range a.imports {
			if m := moduleOf(p); !slices.Contains(args, m) {
				args = append(args, m)
			}
		}
	}
	v := map[string]string{}
	for line := range strings.Lines(run(t, ".", "go", args...)) {
		path, version, _ := strings.Cut(strings.TrimSpace(line), " ")
		v[path] = version
	}
	return v
}

// run runs a go command in dir, offline: every module it needs must be in
// the module cache already (the test run downloaded, and so verified,
// them), and the checksum database is not asked again. Only for the
// throwaway apps is the workspace off.
func run(t *testing.T, dir string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOPROXY=off", "GOSUMDB=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	if dir != "." {
		cmd.Env = append(cmd.Env, "GOWORK=off", "GOFLAGS=-mod=mod")
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), dir, err, stderr.String())
	}
	return string(out)
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// moduleOf is the module of an imported package: the path up to its major
// version suffix, or its first three elements.
func moduleOf(pkg string) string {
	parts := strings.Split(pkg, "/")
	for i, p := range parts {
		if i > 2 && len(p) > 1 && p[0] == 'v' && strings.Trim(p[1:], "0123456789") == "" {
			return strings.Join(parts[:i+1], "/")
		}
	}
	return strings.Join(parts[:min(3, len(parts))], "/")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(s, p) })
}

func isProbekit(path string) bool {
	return path == "github.com/probekit/probekit" || strings.HasPrefix(path, "github.com/probekit/probekit/")
}

// semverLess reports whether version a sorts before b ("" before all). It
// compares the numeric vMAJOR.MINOR.PATCH core, then the rest as text,
// which is enough to order the versions of one module in a module graph.
func semverLess(a, b string) bool {
	if a == "" || b == "" {
		return a == "" && b != ""
	}
	na, ra := semverCore(a)
	nb, rb := semverCore(b)
	if c := slices.Compare(na, nb); c != 0 {
		return c < 0
	}
	return ra < rb
}

func semverCore(v string) ([]int, string) {
	v = strings.TrimPrefix(v, "v")
	core, rest, _ := strings.Cut(v, "-")
	var n []int
	for _, f := range strings.SplitN(core, ".", 3) {
		x, _ := strconv.Atoi(f)
		n = append(n, x)
	}
	return n, rest
}
