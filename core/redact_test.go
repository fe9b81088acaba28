package core_test

import (
	"strings"
	"testing"

	"github.com/probekit/probekit/core"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give string
		want string
	}{
		{"dial redis://:s3cret@10.0.0.1:6379/0: refused", "dial redis://:xxxxx@10.0.0.1:6379/0: refused"},
		{"rediss://default:s3cret@cache:6380", "rediss://default:xxxxx@cache:6380"},
		{`connect "postgres://app:s3cret@db:5432/app?sslmode=disable"`, `connect "postgres://app:xxxxx@db:5432/app?sslmode=disable"`},
		{"postgresql://app:p@ss:w/rd@db/app", "postgresql://app:xxxxx@db/app"},
		{"amqp://guest:guest@rabbit:5672/", "amqp://guest:xxxxx@rabbit:5672/"},
		{"mongodb+srv://u:s3cret@cluster0.x.net/db", "mongodb+srv://u:xxxxx@cluster0.x.net/db"},
		{"https://user:s3cret@example.com/x", "https://user:xxxxx@example.com/x"},
		{"postgres://app@db:5432/app", "postgres://app@db:5432/app"},
		{"root:s3cret@tcp(127.0.0.1:3306)/test?parseTime=true", "root:xxxxx@tcp(127.0.0.1:3306)/test?parseTime=true"},
		{"app:s3cret@unix(/run/mysqld.sock)/test", "app:xxxxx@unix(/run/mysqld.sock)/test"},
		{"app:s3cret@/test", "app:xxxxx@/test"},
		{"host=db port=5432 user=app password=s3cret dbname=app", "host=db port=5432 user=app password=xxxxx dbname=app"},
		{"host=db password='s3 cr\\'et' dbname=app", "host=db password='xxxxx' dbname=app"},
		{"PASSWORD = s3cret", "PASSWORD = xxxxx"},
		{"GET /x?user=a&password=s3cret&y=1", "GET /x?user=a&password=xxxxx&y=1"},
		{"https://api/x?token=abc123&q=1", "https://api/x?token=xxxxx&q=1"},
		{"?api_key=abc123", "?api_key=xxxxx"},
		{`{"user":"a","password":"s3cret"}`, `{"user":"a","password":"xxxxx"}`},
		{"sslpassword=s3cret", "sslpassword=xxxxx"},
		// Found by FuzzRedactSecret: libpq reads each of these as a literal
		// password running to the next space.
		{"host=db password=s3cret;et,pw&x dbname=app", "host=db password=xxxxx dbname=app"},
		{`host=db password="s3cret dbname=app`, `host=db password="xxxxx" dbname=app`},
		{`host=db password=""s3cret dbname=app`, `host=db password="xxxxx" dbname=app`},
		{"Server=db;User Id=app;Password=s3cret;Database=x", "Server=db;User Id=app;Password=xxxxx;Database=x"},
		// Keys with a prefix, and other credential shapes.
		{"missing DB_PASSWORD=s3cret in env", "missing DB_PASSWORD=xxxxx in env"},
		{"spring.datasource.password: s3cret", "spring.datasource.password: xxxxx"},
		{`{"db_password":"s3cret"}`, `{"db_password":"xxxxx"}`},
		{"?x=1&client_api_key=s3cret", "?x=1&client_api_key=xxxxx"},
		{"--password=s3cret", "--password=xxxxx"},
		{"X-Api-Key: s3cret", "X-Api-Key: xxxxx"},
		{"Authorization: Token s3cret", "Authorization: Token xxxxx"},
		{"Proxy-Authorization: s3cret", "Proxy-Authorization: xxxxx"},
		{`"authorization":"s3cret"`, `"authorization":"xxxxx"`},
		{"bypass: 3 of 5 compass=north", "bypass: 3 of 5 compass=north"},
		{"Authorization: Bearer eyJhbGciOi.abc-def_g", "Authorization: Bearer xxxxx"},
		{"Authorization: Basic dXNlcjpzM2NyZXQ=", "Authorization: Basic xxxxx"},
		{"password authentication failed for user \"app\"", "password authentication failed for user \"app\""},
		{"dial tcp 127.0.0.1:6379: connect: connection refused", "dial tcp 127.0.0.1:6379: connect: connection refused"},
	}
	for _, tt := range tests {
		got := core.Redact(tt.give)
		if got != tt.want {
			t.Errorf("Redact(%q) = %q; want %q", tt.give, got, tt.want)
		}
		if strings.Contains(got, "s3cret") || strings.Contains(got, "s3 cr") {
			t.Errorf("Redact(%q) = %q leaks the secret", tt.give, got)
		}
	}
}
