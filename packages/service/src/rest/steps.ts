import type { FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';
import fastifySymbols from 'fastify/lib/symbols.js';
/** A header on every answer: the same value each time, or one read from the request. */
export type StepHeader = string | ((request: FastifyRequest) => string);

/**
 * Work done on every answer, in one of the service's two synchronous hooks: headers every answer
 * carries (set together, see requestWork), work as the request arrives, and work as the answer
 * is sent (which may replace the payload by returning a new one). A concern's `step` makes one
 * (concern.ts); the steps run in the order of concerns.ts.
 */
export interface Step {
  readonly headers?: Readonly<Record<string, StepHeader>>;
  readonly onRequest?: (request: FastifyRequest, reply: FastifyReply) => void;
  readonly onSend?: (request: FastifyRequest, reply: FastifyReply, payload: unknown) => unknown;
}

type RequestWork = NonNullable<Step['onRequest']>;
// Where Fastify keeps a reply's headers until it writes them (test/rest/steps.test.ts checks it).
const { kReplyHeaders } = fastifySymbols;
type ReplyWithHeaders = FastifyReply & Record<symbol, Record<string, unknown>>;

/**
 * The headers of neighbouring steps, set in one piece. A reply that has no header yet (the usual
 * case: the steps run first) gets a copy of them made in one go, in their order, with the values
 * read from the request filled in, instead of one `reply.header` call each (about 1 µs a request
 * for the service's 15 headers, docs/benchmarks.md). Otherwise they are set one by one, as
 * `reply.header` would, so the result is the same either way.
 */
function headersAtOnce(headers: Readonly<Record<string, StepHeader>>): RequestWork {
  const entries = Object.entries(headers);
  const template = Object.fromEntries(entries.map(([name, value]) => [name, typeof value === 'string' ? value : '']));
  const fromRequest = entries.filter(
    (entry): entry is [string, (request: FastifyRequest) => string] => typeof entry[1] !== 'string',
  );
  return (request, reply) => {
    if (hasHeaders(reply)) {
      for (const [name, value] of entries) reply.header(name, typeof value === 'string' ? value : value(request));
      return;
    }
    const set: Record<string, unknown> = { ...template };
    for (const [name, value] of fromRequest) set[name] = value(request);
    (reply as ReplyWithHeaders)[kReplyHeaders] = set;
  };
}

function hasHeaders(reply: FastifyReply): boolean {
  for (const _name in (reply as ReplyWithHeaders)[kReplyHeaders]) return true;
  return false;
}

/**
 * What runs as a request arrives, in the steps' order, with the headers of neighbouring steps
 * merged once, at start-up, into one piece of work (answers keep their header order).
 */
function requestWork(steps: readonly Step[]): RequestWork[] {
  const work: (RequestWork | Record<string, StepHeader>)[] = [];
  for (const step of steps) {
    const last = work.at(-1);
    if (step.headers && last !== undefined && typeof last !== 'function') Object.assign(last, step.headers);
    else if (step.headers) work.push({ ...step.headers });
    if (step.onRequest) work.push(step.onRequest);
  }
  return work.map((item) => (typeof item === 'function' ? item : headersAtOnce(item)));
}

/**
 * The steps as one synchronous hook each way, not as a chain of async hooks: every async hook
 * costs a promise and a trip through the microtask queue per request (docs/benchmarks.md measures
 * what this bought). A step that throws fails the request through the error handler, as an async
 * hook's rejection would.
 */
export function stepHooks(steps: readonly Step[]): { onRequest: onRequestHookHandler; onSend: onSendHookHandler } {
  const onRequest = requestWork(steps);
  const onSend = steps.flatMap((step) => (step.onSend ? [step.onSend] : []));
  return {
    onRequest: (request, reply, done) => {
      for (const work of onRequest) work(request, reply);
      done();
    },
    onSend: (request, reply, payload, done) => {
      let sent: unknown = payload;
      for (const step of onSend) sent = step(request, reply, sent);
      done(null, sent);
    },
  };
}
