package testenv

// CheckName reports whether s is a valid check name by the documented
// charset: 1 to 63 of [A-Za-z0-9._-], starting with a letter or a digit.
// It is written out independently of core.ValidName, as the oracle the fuzz
// targets hold the code to.
func CheckName(s string) bool {
	if len(s) < 1 || len(s) > 63 {
		return false
	}
	for i, c := range []byte(s) {
		alnum := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
		if !alnum && (i == 0 || c != '.' && c != '_' && c != '-') {
			return false
		}
	}
	return true
}
