import Negotiator from 'negotiator';
import vary from 'vary';
import type { StepFactory } from '../concern.js';

const PLAIN_TEXT = 'text/plain';
const JSON_TYPE = 'application/json';
const OFFERED = [PLAIN_TEXT, JSON_TYPE];

/** Only an Accept naming JSON or application/* can prefer it; the rest skip negotiation. */
function mayPreferJson(accept: string | undefined): boolean {
  return accept !== undefined && (accept.includes('json') || accept.includes('application/*'));
}

/**
 * Text routes answer plain text; a client that prefers JSON gets the same text as
 * `{"message": …}`. Done once here, so modules need not know about representations.
 */
const contentNegotiation: StepFactory = () => ({
  onSend: (request, reply, payload) => {
    const type = reply.getHeader('content-type');
    if (reply.statusCode !== 200 || typeof type !== 'string' || !type.startsWith(PLAIN_TEXT)) return payload;
    // Appended, not set: with a list of CORS origins, Vary already names Origin.
    const varies = reply.getHeader('vary');
    reply.header('vary', varies === undefined ? 'Accept' : vary.append(String(varies), 'Accept'));
    if (typeof payload !== 'string' || !mayPreferJson(request.headers.accept)) return payload;
    // negotiator, not accepts: the same choice among full media types, without mime-db's start-up cost.
    if (new Negotiator(request.raw).mediaType(OFFERED) !== JSON_TYPE) return payload;
    reply.type(`${JSON_TYPE}; charset=utf-8`);
    return JSON.stringify({ message: payload });
  },
});

export default contentNegotiation;
