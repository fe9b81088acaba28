// Package docs checks the repository's Markdown as a reader would use it:
// the README's quick start compiles and vets as the whole program it
// claims to be, and every relative link in README.md, SECURITY.md and
// docs/ points at a file that exists.
package docs

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the repository's root, from this package's directory.
const root = "../../.."

// TestQuickStartBuilds extracts the Go block after <!-- quickstart --> in
// README.md and runs go vet on it as a program of its own, with this
// module's requirements (which include every module it imports).
func TestQuickStartBuilds(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	src, ok := blockAfter(string(readme), "<!-- quickstart -->", "go")
	if !ok {
		t.Fatal("README.md: no ```go block after <!-- quickstart -->")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "main.go")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	// go vet type-checks and builds what it needs: a compile error or a
	// vet finding in the quick start fails here.
	cmd := exec.Command("go", "vet", file)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet on the README's quick start: %v\n%s", err, out)
	}
}

// blockAfter returns the body of the first fenced block of language lang
// after marker in md.
func blockAfter(md, marker, lang string) (string, bool) {
	i := strings.Index(md, marker)
	if i < 0 {
		return "", false
	}
	rest := md[i+len(marker):]
	open := "```" + lang + "\n"
	j := strings.Index(rest, open)
	if j < 0 {
		return "", false
	}
	body := rest[j+len(open):]
	k := strings.Index(body, "```")
	if k < 0 {
		return "", false
	}
	return body[:k], true
}

var link = regexp.MustCompile(`\]\(([^)#\s]+)(#[^)\s]*)?\)`)

// TestRelativeLinksResolve follows every relative Markdown link in the
// README, SECURITY.md and docs/ to a file or directory that exists.
func TestRelativeLinksResolve(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(root, "README.md"), filepath.Join(root, "SECURITY.md"))
	for _, f := range files {
		md, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range link.FindAllStringSubmatch(string(md), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				rel, _ := filepath.Rel(root, f)
				t.Errorf("%s links to %s, which does not exist", rel, target)
			}
		}
	}
}
