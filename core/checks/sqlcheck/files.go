package sqlcheck

import (
	"cmp"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// migrationFile is one migration found on disk.
type migrationFile struct {
	version int64
	name    string // the file name without extensions, e.g. "3_add_orders"
}

// golangMigrateFile matches golang-migrate's file names,
// {version}_{title}.{up|down}.{ext}, as its source package does.
var golangMigrateFile = regexp.MustCompile(`^([0-9]+)_(.*)\.(down|up)\.(.*)$`)

// golangMigrateFiles lists the up migrations at the top of fsys, as
// golang-migrate's iofs source reads them: other files are ignored, and two
// up files of one version are an error.
func golangMigrateFiles(fsys fs.FS) ([]migrationFile, error) {
	return listFiles(fsys, func(base string) (migrationFile, bool, error) {
		m := golangMigrateFile.FindStringSubmatch(base)
		if m == nil || m[3] != "up" {
			return migrationFile{}, false, nil
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil {
			return migrationFile{}, false, fmt.Errorf("sqlcheck: migration %s: version out of range", base)
		}
		return migrationFile{version: v, name: m[1] + "_" + m[2]}, true, nil
	})
}

// gooseFiles lists the migrations at the top of fsys as goose does:
// {version}_{name}.sql and .go files (not _test.go) whose version is a
// positive integer; other files are ignored, and two files of one version
// are an error.
func gooseFiles(fsys fs.FS) ([]migrationFile, error) {
	return listFiles(fsys, func(base string) (migrationFile, bool, error) {
		var stem string
		switch {
		case strings.HasSuffix(base, "_test.go"):
			return migrationFile{}, false, nil
		case strings.HasSuffix(base, ".sql"):
			stem = strings.TrimSuffix(base, ".sql")
		case strings.HasSuffix(base, ".go"):
			stem = strings.TrimSuffix(base, ".go")
		default:
			return migrationFile{}, false, nil
		}
		num, _, ok := strings.Cut(stem, "_")
		if !ok {
			return migrationFile{}, false, nil
		}
		v, err := strconv.ParseInt(num, 10, 64)
		if err != nil || v < 1 {
			return migrationFile{}, false, nil
		}
		return migrationFile{version: v, name: stem}, true, nil
	})
}

// listFiles applies parse to the name of every file at the top of fsys and
// returns the migrations it accepts, sorted by version.
func listFiles(fsys fs.FS, parse func(base string) (migrationFile, bool, error)) ([]migrationFile, error) {
	if fsys == nil {
		return nil, fmt.Errorf("sqlcheck: nil migrations fs.FS")
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("sqlcheck: read migrations: %w", err)
	}
	var files []migrationFile
	seen := make(map[int64]string)
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		f, ok, err := parse(e.Name())
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if other, dup := seen[f.version]; dup {
			return nil, fmt.Errorf("sqlcheck: duplicate migration version %d: %s and %s", f.version, other, e.Name())
		}
		seen[f.version] = e.Name()
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b migrationFile) int { return cmp.Compare(a.version, b.version) })
	return files, nil
}
