package sqlcheck

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

// names returns the names of files, for comparison.

func names(files []migrationFile) string {
	var s []string
	for _, f := range files {
		s = append(s, fmt.Sprintf("%d:%s", f.version, f.name))
	}
	return strings.Join(s, " ")
}

func TestGolangMigrateFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    fstest.MapFS
		want    string
		wantErr string
	}{
		{
			name: "up files sorted by version, others ignored",
			give: fstest.MapFS{
				"10_later.up.sql":      {},
				"2_b.up.sql":           {},
				"2_b.down.sql":         {},
				"1_a.up.json":          {},
				"0003_c.up.sql":        {},
				"README.md":            {},
				"x_1.up.sql":           {},
				"4.up.sql":             {},
				"sub/5_nested.up.sql":  {},
				"6_dotted.name.up.sql": {},
			},
			want: "1:1_a 2:2_b 3:0003_c 6:6_dotted.name 10:10_later",
		},
		{name: "empty", give: fstest.MapFS{}, want: ""},
		{name: "duplicate", give: fstest.MapFS{"1_a.up.sql": {}, "01_b.up.sql": {}}, wantErr: "sqlcheck: duplicate migration version 1: "},
		{name: "out of range", give: fstest.MapFS{"99999999999999999999_a.up.sql": {}}, wantErr: "sqlcheck: migration 99999999999999999999_a.up.sql: version out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, err := golangMigrateFiles(tt.give)
			assertFiles(t, "golangMigrateFiles", files, err, tt.want, tt.wantErr)
		})
	}
}

func TestGooseFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		give    fstest.MapFS
		want    string
		wantErr string
	}{
		{
			name: "sql and go, others ignored",
			give: fstest.MapFS{
				"00002_b.sql":               {},
				"00001_a.sql":               {},
				"00003_c.go":                {},
				"00003_c_test.go":           {},
				"helpers.go":                {},
				"embed.go":                  {},
				"00000_zero.sql":            {},
				"x_1.sql":                   {},
				"README.md":                 {},
				"20240101120000_stamp.sql":  {},
				"sub/00004_nested.sql":      {},
				"00005_no_sep_after.sql.gz": {},
			},
			want: "1:00001_a 2:00002_b 3:00003_c 20240101120000:20240101120000_stamp",
		},
		{name: "duplicate", give: fstest.MapFS{"1_a.sql": {}, "001_a.go": {}}, wantErr: "sqlcheck: duplicate migration version 1: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files, err := gooseFiles(tt.give)
			assertFiles(t, "gooseFiles", files, err, tt.want, tt.wantErr)
		})
	}
}

func TestListFilesErrors(t *testing.T) {
	t.Parallel()
	if _, err := golangMigrateFiles(nil); err == nil || err.Error() != "sqlcheck: nil migrations fs.FS" {
		t.Errorf("golangMigrateFiles(nil) = %v; want sqlcheck: nil migrations fs.FS", err)
	}
	sub, _ := fs.Sub(fstest.MapFS{}, "missing")
	if _, err := gooseFiles(sub); err == nil || !strings.HasPrefix(err.Error(), "sqlcheck: read migrations: ") {
		t.Errorf("gooseFiles(missing dir) = %v; want sqlcheck: read migrations: …", err)
	}
}

// assertFiles checks what a file lister returned against want (names, as
// names makes them) or wantErr (the error's start).
func assertFiles(t *testing.T, fn string, files []migrationFile, err error, want, wantErr string) {
	t.Helper()
	if wantErr != "" {
		if err == nil || !strings.HasPrefix(err.Error(), wantErr) {
			t.Errorf("%s() = %v; want an error starting %q", fn, err, wantErr)
		}
		return
	}
	if got := names(files); err != nil || got != want {
		t.Errorf("%s() = %q, %v; want %q, nil", fn, got, err, want)
	}
}
