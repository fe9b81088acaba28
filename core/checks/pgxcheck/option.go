package pgxcheck

// DefaultQuery is the query a [Checker] runs unless told otherwise.
const DefaultQuery = "SELECT 1"

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*Checker)
}

type optionFunc func(*Checker)

func (f optionFunc) apply(c *Checker) { f(c) }

// Query sets the query Check runs with Pool.Query; every row it returns
// is read and discarded. Default [DefaultQuery], "SELECT 1". An empty q
// means the default. Use a query that is cheap and touches what the
// application needs, such as "SELECT 1 FROM orders LIMIT 1" to also check
// the table and the permissions on it. The query runs as the pool's
// DefaultQueryExecMode says, so a pool set up for PgBouncer works
// unchanged. Of Query and [Ping], the last one given wins.
func Query(q string) Option {
	return optionFunc(func(c *Checker) {
		if q == "" {
			q = DefaultQuery
		}
		c.query = q
		c.ping = false
	})
}

// Ping makes Check call Pool.Ping, which sends an empty statement, instead
// of running a query. It costs the server slightly less than "SELECT 1"
// and needs no permission at all. Of [Query] and Ping, the last one given
// wins.
func Ping() Option {
	return optionFunc(func(c *Checker) { c.ping = true })
}
