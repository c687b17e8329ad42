// The pieces of the request path that bench/step-costs.ts turns off one at a time, each by the
// line that composes it in (steps/index.ts, server-options/index.ts or app.ts).
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

export interface Piece {
  readonly name: string;
  /** The file, under packages/service/src/rest/, whose line composes the piece in. */
  readonly file: string;
  readonly line: string | RegExp;
}

const step = (name: string, line: string): Piece => ({ name: `step: ${name}`, file: 'steps/index.ts', line });
const option = (name: string, line: string): Piece => ({
  name: `server option: ${name}`,
  file: 'server-options/index.ts',
  line,
});
const plugin = (name: string, line: string | RegExp): Piece => ({ name: `plugin: ${name}`, file: 'app.ts', line });

export const PIECES: readonly Piece[] = [
  step('HEAD answers', '  headRequests,\n'),
  step('request id header', '  requestId,\n'),
  step('security headers', '  securityHeaders,\n'),
  step('CORS headers', '  corsHeaders,\n'),
  step('Connection: close while draining', '  connectionClose,\n'),
  step('content negotiation (406)', '  contentNegotiation,\n'),
  option('request id (a UUID per request)', '  requestId,\n'),
  option('trace context (traceparent)', '  traceContext,\n'),
  plugin('problem answers (404, 405, 500)', '  await app.register(errors);\n'),
  plugin('authentication', '  await app.register(authentication, { verifier });\n'),
  plugin('trailing slash', '  await app.register(trailingSlash);\n'),
  plugin('request bodies', '  await app.register(requestBodies, { bodyLimitBytes });\n'),
  plugin('CORS preflights', '  await app.register(corsPreflight, { origins: corsOrigins });\n'),
  plugin('OpenAPI document', / {2}await app\.register\(openapi, \{\n[\s\S]*?\n {2}\}\);\n/),
  plugin('metrics', '  await app.register(metrics);\n'),
  plugin('load shedding', '    await api.register(loadShedding, { maxEventLoopDelayMs });\n'),
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
