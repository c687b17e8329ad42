import createError from '@fastify/error';

/** The database cannot be reached or is refusing work: the request is worth retrying later. */
export const DatabaseUnavailableError = createError(
  'DATABASE_UNAVAILABLE',
  'The database is unavailable: try again later',
  503,
);

/** PostgreSQL stores no NUL byte in a text: the client's input, not the service, is at fault. */
export const NulInTextError = createError(
  'INVALID_TEXT',
  'A text value holds a NUL byte (\\u0000), which cannot be stored',
  400,
);

// Network failures, and SQLSTATE classes 08 (connection), 28 (authentication), 3D (no such
// database), 53 (insufficient resources) and 57 (operator intervention: shutdown, statement timeout).
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);
const UNAVAILABLE_SQLSTATE = /^(08|28|3D|53|57)/;
// pg's own words for a connection it could not get or lost, which carry no code.
const UNAVAILABLE_MESSAGE =
  /timeout exceeded when trying to connect|Connection terminated|connection error|Query read timeout|Cannot use a pool after calling end/i;
// 22021: a NUL byte in a text; 22P05: one in a json(b) value.
const NUL_IN_TEXT = new Set(['22021', '22P05']);

/** True for an error that says the database is out of reach, not that the query was wrong. */
export function isUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (code.length === 5 && UNAVAILABLE_SQLSTATE.test(code)))) {
    return true;
  }
  return typeof message === 'string' && UNAVAILABLE_MESSAGE.test(message);
}

/** The error a module sees: an outage as a 503, a NUL byte as a 400, anything else as it was. */
export function translateError(error: unknown): unknown {
  if (isUnavailable(error)) return new DatabaseUnavailableError({ cause: error });
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && NUL_IN_TEXT.has(code)) return new NulInTextError({ cause: error });
  return error;
}
