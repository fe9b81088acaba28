package core

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendJSONString(t *testing.T) {
	t.Parallel()
	tests := []struct {
		give string
		want string
	}{
		{"", `""`},
		{"plain", `"plain"`},
		{`q"b\s`, `"q\"b\\s"`},
		{"a\nb\rc\td\x00e\x1f", `"a\nb\rc\td\u0000e\u001f"`},
		{"<script>&", `"\u003cscript\u003e\u0026"`},
		{"\u2028\u2029", `"\u2028\u2029"`},
		{"bad \xff utf8", `"bad \ufffd utf8"`},
		{"µs ✓", `"µs ✓"`},
	}
	for _, tt := range tests {
		if got := string(appendJSONString(nil, tt.give)); got != tt.want {
			t.Errorf("appendJSONString(%q) = %s; want %s", tt.give, got, tt.want)
		}
	}
}

// FuzzAppendJSONString checks that any string renders as a JSON string
// that decodes back to the input (with invalid UTF-8 replaced).
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "redis", "a\"b", "\x00\x1f\x7f", "<>&", "\u2028", "\xff\xfe", "é", "\\u0000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("appendJSONString(%q) = %s: invalid JSON: %v", s, b, err)
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); back != want && utf8.ValidString(s) {
			t.Fatalf("round trip of %q = %q", s, back)
		}
		if strings.ContainsAny(string(b[1:len(b)-1]), "<>&") {
			t.Fatalf("appendJSONString(%q) = %s: HTML characters must be escaped", s, b)
		}
	})
}

// FuzzCleanError checks that any error text is stored as one line of valid
// UTF-8, bounded, and free of the password it was given.
func FuzzCleanError(f *testing.F) {
	for _, s := range []string{"dial redis://:%s@host:6379", "password=%s", "u:%s@tcp(h:3306)/db", "x\n%s\r\x00", "\xff%s"} {
		f.Add(s, "hunter2")
	}
	f.Fuzz(func(t *testing.T, format, secret string) {
		got := cleanError(errors.New(strings.ReplaceAll(format, "%s", secret)))
		if !utf8.ValidString(got) {
			t.Fatalf("cleanError gave invalid UTF-8: %q", got)
		}
		if len(got) > maxErrorLen {
			t.Fatalf("cleanError gave %d bytes; want at most %d", len(got), maxErrorLen)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("cleanError kept control character %q in %q", r, got)
			}
		}
	})
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", maxErrorLen)
	got := cleanText(long)
	if len(got) > maxErrorLen || !utf8.ValidString(got) || !strings.HasSuffix(got, "…") {
		t.Errorf("cleanText(long) = %d bytes, valid %v; want at most %d valid bytes ending in …", len(got), utf8.ValidString(got), maxErrorLen)
	}
	if got := cleanText("line1\nline2\r\n\tend\u2028"); got != "line1 line2   end " {
		t.Errorf("cleanText(lines) = %q", got)
	}
	// A secret beyond the work bound is cut off, never half-redacted.
	s := strings.Repeat("x", 16*maxErrorLen-10) + " redis://:hunter2@h"
	if got := cleanText(s); strings.Contains(got, "hunter") {
		t.Errorf("cleanText leaks a secret past the bound: …%s", got[len(got)-40:])
	}
}
