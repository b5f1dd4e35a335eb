/**
 * Whether an error means the database cannot serve right now (unreachable, restarting, out
 * of time, out of disk, read-only) rather than that the request or the code is wrong.
 * Callers answer such errors with 503 and Retry-After, never a 500.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATE: connection exceptions (08…), operator intervention (57…: query
    // cancelled by statement_timeout, admin shutdown, cannot connect now), insufficient
    // resources (53…: disk full, out of memory, too many connections).
    if (/^(08|53|57)[0-9A-Z]{3}$/.test(code)) return true;
    // Socket errors from node-postgres.
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE'].includes(code)) return true;
    // SQLite: locked past busy_timeout, disk full, read-only file or directory, I/O error.
    if (/^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CANTOPEN)/.test(code)) return true;
  }
  // node-postgres' own time-outs and lost connections carry no code.
  return /^(timeout exceeded when trying to connect|Query read timeout|Connection terminated)/.test(err.message);
}
