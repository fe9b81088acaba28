package sqlcheck

// DefaultQuery is the query a [Checker] runs unless told otherwise.
const DefaultQuery = "SELECT 1"

// Option configures a [Checker]; pass options to [New].
type Option interface {
	apply(*Checker)
}

type optionFunc func(*Checker)

func (f optionFunc) apply(c *Checker) { f(c) }

// Query sets the query Check runs with QueryContext; every row it returns
// is read and discarded. Default [DefaultQuery], "SELECT 1". An empty q
// means the default. Use a query that is cheap and touches what the
// application needs, such as "SELECT 1 FROM orders LIMIT 1" to also check
// permissions on a table. Of Query and [Ping], the last one given wins.
func Query(q string) Option {
	return optionFunc(func(c *Checker) {
		if q == "" {
			q = DefaultQuery
		}
		c.query = q
		c.ping = false
	})
}

// Ping makes Check call PingContext instead of running a query. What a
// ping does is up to the driver: pgx sends a statement that is only a
// comment, the MySQL driver a COM_PING, and some drivers only check that
// a connection is open. Drivers also report a failed ping less well: pgx
// turns it into "driver: bad connection". By default Check runs
// [DefaultQuery], which every driver sends to the server and whose error
// it reports as it is. Of [Query] and Ping, the last one given wins.
func Ping() Option {
	return optionFunc(func(c *Checker) { c.ping = true })
}
