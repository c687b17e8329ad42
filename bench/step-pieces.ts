// The pieces of the request path that bench/step-costs.ts turns off one at a time, each by the
// line that composes it in: a part in its concern's index.ts, or load shedding in app.ts.
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

export interface Piece {
  readonly name: string;
  /** The file, under packages/service/src/rest/, whose line composes the piece in. */
  readonly file: string;
  readonly line: string | RegExp;
}

const part =
  (phase: 'step' | 'server option' | 'plugin') =>
  (name: string, concern: string, line: string): Piece => ({
    name: `${phase}: ${name}`,
    file: `${concern}/index.ts`,
    line,
  });
const step = part('step');
const option = part('server option');
const plugin = part('plugin');

export const PIECES: readonly Piece[] = [
  step('HEAD answers', 'head', '  step: methodRestored,\n'),
  step('request id header', 'request-id', '  step: echoRequestId,\n'),
  step('security headers', 'security-headers', '  step: securityHeaders,\n'),
  step('CORS headers', 'cors', '  step: corsHeaders,\n'),
  step('Connection: close while draining', 'readiness', '  step: connectionClose,\n'),
  step('content negotiation (406)', 'content-negotiation', '  step: contentNegotiation,\n'),
  option('request id (a UUID per request)', 'request-id', '  serverOptions: chooseRequestId,\n'),
  option('trace context (traceparent)', 'logging', '    ...traceContext(settings),\n'),
  plugin('problem answers (404, 405, 500)', 'errors', '  plugin: problemAnswers,\n'),
  plugin('authentication', 'auth', '  plugin: authentication,\n'),
  plugin('trailing slash', 'trailing-slash', '  plugin: trailingSlash,\n'),
  plugin('request bodies', 'validation', '  plugin: requestBodies,\n'),
  plugin('CORS preflights', 'cors', '  plugin: corsPreflight,\n'),
  plugin('OpenAPI document', 'openapi', '  plugin: openapiDocument,\n'),
  plugin('metrics', 'metrics', '  plugin: routeMetrics,\n'),
  {
    name: 'plugin: load shedding',
    file: 'app.ts',
    line: '    await api.register(loadShedding, { maxEventLoopDelayMs });\n',
  },
];

export const SOURCE = 'packages/service/src/rest/';

/** An esbuild plugin that drops the piece's line from its file, or fails if the line is gone. */
export function without(piece: Piece): Plugin {
  const path = `${process.cwd()}/${SOURCE}${piece.file}`;
  return {
    name: 'without-one-piece',
    setup(build) {
      build.onLoad({ filter: new RegExp(`${piece.file.replace(/[./]/g, '\\$&')}$`) }, async (args) => {
        if (args.path !== path) return undefined;
        const source = await readFile(path, 'utf8');
        const edited = source.replace(piece.line, '');
        if (edited === source) throw new Error(`${piece.name}: its line is no longer in ${SOURCE}${piece.file}`);
        return { contents: edited, loader: 'ts' };
      });
    },
  };
}
