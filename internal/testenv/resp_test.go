package testenv

import (
	"bufio"
	"reflect"
	"strings"
	"testing"
)

func TestReadReply(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give    string
		want    any
		wantErr bool
	}{
		{give: "+PONG\r\n", want: "PONG"},
		{give: ":42\r\n", want: int64(42)},
		{give: "$5\r\nhello\r\n", want: "hello"},
		{give: "$-1\r\n", want: nil},
		{give: "*2\r\n$1\r\na\r\n*1\r\n:1\r\n", want: []any{"a", []any{int64(1)}}},
		{give: "-ERR wrong\r\n", wantErr: true},
		{give: "?\r\n", wantErr: true},
		{give: "+no newline", wantErr: true},
	}
	for _, tt := range tests {
		got, err := readReply(bufio.NewReader(strings.NewReader(tt.give)))
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("readReply(%q) = %#v, %v; want %#v, error %t", tt.give, got, err, tt.want, tt.wantErr)
		}
	}
}
