import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';
import type { StepFactory } from '../concern.js';

// An API serves no pages but /docs, so the CSP allows only same-origin resources;
// resources may be read cross-origin because CORS lets any origin read our answers.
const helmetOptions = {
  crossOriginResourcePolicy: { policy: 'cross-origin' },
  crossOriginEmbedderPolicy: false,
} as const;

/**
 * The headers helmet sets for these options. They use no per-request input (no CSP nonces),
 * so helmet computes them once here instead of running its middleware on every request, and
 * they are set with the other headers of every answer in one piece (step.ts; docs/benchmarks.md).
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet(helmetOptions)({} as IncomingMessage, recorder as unknown as ServerResponse, () => undefined);
  return Object.freeze(headers);
})();

/** helmet's headers for an API on every answer, errors included. */
const securityHeaders: StepFactory = () => ({ headers: SECURITY_HEADERS });

export default securityHeaders;
