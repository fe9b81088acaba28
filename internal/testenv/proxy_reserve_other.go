//go:build !unix

package testenv

import "errors"

// reservePort is not available here: a refusing [Proxy] leaves its port
// free, and listens on it again if no one else has taken it meanwhile.
func reservePort(string) (release func(), err error) {
	return nil, errors.ErrUnsupported
}
