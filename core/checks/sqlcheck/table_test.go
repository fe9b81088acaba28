package sqlcheck

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestTableName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give    string
		want    string
		wantErr bool
	}{
		{give: "", want: "schema_migrations"},
		{give: "schema_migrations", want: "schema_migrations"},
		{give: "App_Migrations2", want: "App_Migrations2"},
		{give: "_private", want: "_private"},
		{give: "public.schema_migrations", want: "public.schema_migrations"},
		{give: "a.b.c", wantErr: true},
		{give: ".x", wantErr: true},
		{give: "x.", wantErr: true},
		{give: "1table", wantErr: true},
		{give: "x.1table", wantErr: true},
		{give: "schema_migrations; DROP TABLE users", wantErr: true},
		{give: `"quoted"`, wantErr: true},
		{give: "`quoted`", wantErr: true},
		{give: "with space", wantErr: true},
		{give: "dash-ed", wantErr: true},
		{give: "tablé", wantErr: true},
		{give: "x--", wantErr: true},
		{give: strings.Repeat("x", maxTableLen), want: strings.Repeat("x", maxTableLen)},
		{give: strings.Repeat("x", maxTableLen+1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			t.Parallel()
			got, err := tableName(tt.give, DefaultGolangMigrateTable)
			if tt.wantErr {
				if !errors.Is(err, ErrInvalidTable) {
					t.Errorf("tableName(%q) = %q, %v; want an error wrapping ErrInvalidTable", tt.give, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("tableName(%q) = %q, %v; want %q, nil", tt.give, got, err, tt.want)
			}
		})
	}
}

// stateErr is a driver error with a SQLSTATE, as pgx and lib/pq make them.
type stateErr string

func (e stateErr) Error() string    { return "driver error" }
func (e stateErr) SQLState() string { return string(e) }

func TestIsUndefinedTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		give error
		want bool
	}{
		{name: "postgres sqlstate", give: fmt.Errorf("wrapped: %w", stateErr("42P01")), want: true},
		{name: "sqlstate 42S02", give: stateErr("42S02"), want: true},
		{name: "other sqlstate", give: stateErr("42601"), want: false},
		{name: "postgres text", give: errors.New(`ERROR: relation "schema_migrations" does not exist (SQLSTATE 42P01)`), want: true},
		{name: "mariadb", give: errors.New("Error 1146 (42S02): Table 'test.schema_migrations' doesn't exist"), want: true},
		{name: "sqlite", give: errors.New("SQL logic error: no such table: schema_migrations (1)"), want: true},
		{name: "refused", give: errors.New("dial tcp 127.0.0.1:5432: connect: connection refused"), want: false},
		{name: "permission", give: errors.New("Error 1142 (42000): SELECT command denied to user"), want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := isUndefinedTable(tt.give); got != tt.want {
				t.Errorf("isUndefinedTable(%v) = %v; want %v", tt.give, got, tt.want)
			}
		})
	}
}
