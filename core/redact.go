package core

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxErrorLen is the longest error text kept for a check result, in bytes.
// Longer texts are cut at a character boundary and end in "…".
const maxErrorLen = 1024

// secretKeys are the keys whose values are secrets in key=value text.
const secretKeys = `password|passwd|pwd|pass|sslpassword|secret|client[_-]?secret|secret[_-]?key|access[_-]?key|api[_-]?key|apikey|token|access[_-]?token|auth[_-]?token`

// secretKey matches a secret key with any prefix of words joined by _ . or
// - (DB_PASSWORD, redis.password, X-Api-Key, db_password in JSON).
const secretKey = `(?:[A-Za-z0-9]+[_.-])*(?:` + secretKeys + `)`

// redactRules are applied in order. Each keeps the shape of the text (the
// scheme, user and host stay, so the error is still useful) and replaces
// the secret with "xxxxx", as [net/url.URL.Redacted] does.
var redactRules = []struct {
	re   *regexp.Regexp
	repl string
}{
	// URL user info with a password: redis://:pw@host, postgres://u:pw@host.
	// Greedy to the last @ before a space or quote, so a password holding an
	// unescaped @ is covered too.
	{regexp.MustCompile(`(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@"'<>]*):[^\s"'<>]*@`), "${1}:xxxxx@"},
	// go-sql-driver/mysql DSNs: user:pw@tcp(host)/db, user:pw@unix(/s)/db, user:pw@/db.
	{regexp.MustCompile(`\b([A-Za-z0-9_.\-]+):[^\s"'<>]*@((?:tcp6?|unix|udp)?\(|/)`), "${1}:xxxxx@${2}"},
	// key=value and key: value pairs: libpq DSNs (password=pw, password='p w'),
	// query strings (?password=pw&), JSON ("password":"pw") and YAML. Quoted
	// values keep their quotes. A JSON string value ends at its closing
	// quote; after a bare key, a quoted value runs on to the next space, and
	// so does one whose quote is never closed: libpq reads password="pw and
	// password=""pw as literal passwords.
	{regexp.MustCompile(`(?i)"(` + secretKey + `)"(\s*:\s*)"(?:[^"\\]|\\.)*"`), `"${1}"${2}"xxxxx"`},
	{regexp.MustCompile(`(?i)\b(` + secretKey + `)('?\s*[=:]\s*)(?:"(?:[^"\\]|\\.)*"|")\S*`), `${1}${2}"xxxxx"`},
	{regexp.MustCompile(`(?i)\b(` + secretKey + `)('?\s*[=:]\s*)(?:'(?:[^'\\]|\\.)*'|')\S*`), `${1}${2}'xxxxx'`},
	// Unquoted values. In a query string or a ;-separated connection
	// string (?password=pw&, ;Password=pw;) the value ends at the separator;
	// anywhere else (libpq's password=pw, YAML's password: pw) it runs to
	// the next space, as libpq reads it, so a password holding ; , & or a
	// quote is covered whole.
	{regexp.MustCompile(`(?i)([?&;]` + secretKey + `=)[^\s&;#"'<>]+`), `${1}xxxxx`},
	{regexp.MustCompile(`(?i)(^|[^?&;\w])(` + secretKey + `)("?\s*[=:]\s*)[^\s"']\S*`), `${1}${2}${3}xxxxx`},
	// HTTP credentials: Authorization: Bearer tok, Basic dXNlcjpwdw==,
	// Token tok, or a bare credential; and a Bearer/Basic credential
	// anywhere.
	{regexp.MustCompile(`(?i)\b(authorization"?\s*[:=]\s*"?)((?:[A-Za-z][A-Za-z0-9._-]*\s+)?)[^\s"']+`), "${1}${2}xxxxx"},
	{regexp.MustCompile(`(?i)\b(bearer|basic)\s+[A-Za-z0-9\-._~+/]+=*`), "${1} xxxxx"},
}

// Redact returns s with the secrets it can recognise replaced by "xxxxx":
// passwords in URLs and DSNs (redis://:pw@, postgres://u:pw@, user:pw@tcp(…),
// password=pw and password='p w' key/value pairs, ?password= and ?token=
// query parameters, "password":"…" in JSON, with any prefixed key such as
// DB_PASSWORD or redis.password) and HTTP credentials (Authorization:
// values, Bearer and Basic tokens). The Health applies it to every error text before the text
// reaches a body, a log line or a listener.
func Redact(s string) string {
	for _, r := range redactRules {
		s = r.re.ReplaceAllString(s, r.repl)
	}
	return s
}

// cleanError turns a check error into the text that is stored and shown:
// redacted, valid UTF-8, control characters replaced by spaces (so it fits
// on one line of the Kubernetes text format), at most maxErrorLen bytes.
func cleanError(err error) string {
	if err == nil {
		return ""
	}
	return cleanText(err.Error())
}

func cleanText(s string) string {
	// Bound the work first. A secret cut at this point can only lie beyond
	// maxErrorLen, which is cut off below anyway.
	const maxInput = 16 * maxErrorLen
	if len(s) > maxInput {
		s = s[:maxInput]
	}
	s = Redact(s)
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	if len(s) > maxErrorLen {
		cut := maxErrorLen - len("…")
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
