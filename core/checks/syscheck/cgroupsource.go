package syscheck

// cgroupSource is the Cgroup a checker reads: the one it was configured
// with, or the process's own, found with FindCgroup on first use. It is
// not safe for concurrent use; the checkers call it under their lock.
type cgroupSource struct {
	cg    Cgroup
	found bool
	find  func() (Cgroup, error)
}

// newCgroupSource returns a source of cg, or of the process's cgroup if
// cg is nil.
func newCgroupSource(cg *Cgroup) cgroupSource {
	if cg != nil {
		return cgroupSource{cg: *cg, found: true}
	}
	return cgroupSource{find: findOwnCgroup}
}

// get returns the Cgroup, finding it first if need be. A failed search is
// tried again on the next call.
func (s *cgroupSource) get() (Cgroup, error) {
	if !s.found {
		cg, err := s.find()
		if err != nil {
			return Cgroup{}, err
		}
		s.cg, s.found = cg, true
	}
	return s.cg, nil
}
