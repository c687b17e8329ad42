// The contract's body for a request URL, for the bare node:http servers: the two fixed greetings
// and the two named ones, the name percent-decoded; undefined for any other URL.
const FIXED = new Map([
  ['/', 'Hallo from CORE!'],
  ['/blueprint/', 'Hallo!'],
]);
const NAMED = /^\/(blueprint\/)?([^/]+)\/$/;

export const CONTRACT_PATHS = ['/', '/Kalimaha/', '/blueprint/', '/blueprint/Kalimaha/'];

export function contractBody(url) {
  const fixed = FIXED.get(url);
  if (fixed !== undefined) return fixed;
  const named = NAMED.exec(url);
  if (!named) return undefined;
  const name = decodeURIComponent(named[2]);
  return named[1] ? `Hallo ${name}!` : `Hallo ${name} from CORE!`;
}
