package sqlcheck

import (
	"errors"
	"testing"
)

func TestMigrationStateErr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		give     MigrationState
		wantErr  error
		wantText string
	}{
		{name: "ready", give: MigrationState{Version: 3}},
		{name: "one", give: MigrationState{Pending: []string{"3_add_orders"}}, wantErr: ErrPendingMigrations, wantText: "sqlcheck: 1 pending migration: 3_add_orders"},
		{name: "five", give: MigrationState{Pending: []string{"1", "2", "3", "4", "5"}}, wantErr: ErrPendingMigrations, wantText: "sqlcheck: 5 pending migrations: 1, 2, 3, 4, 5"},
		{name: "six", give: MigrationState{Pending: []string{"1", "2", "3", "4", "5", "6"}}, wantErr: ErrPendingMigrations, wantText: "sqlcheck: 6 pending migrations: 1, 2, 3, 4, 5, and 1 more"},
		{name: "dirty wins", give: MigrationState{Dirty: "3", Pending: []string{"4"}}, wantErr: ErrDirtyMigration, wantText: "sqlcheck: migration 3 is dirty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.give.Err()
			if tt.wantErr == nil {
				if err != nil {
					t.Errorf("%+v.Err() = %v; want nil", tt.give, err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || err.Error() != tt.wantText {
				t.Errorf("%+v.Err() = %v; want %q wrapping %v", tt.give, err, tt.wantText, tt.wantErr)
			}
			for _, other := range []error{ErrPendingMigrations, ErrDirtyMigration, ErrInvalidTable} {
				if other != tt.wantErr && errors.Is(err, other) {
					t.Errorf("%+v.Err() = %v; want it not to match %v", tt.give, err, other)
				}
			}
		})
	}
}
