import createError from '@fastify/error';
import { parse as parseContentType } from 'content-type';
import type { preParsingHookHandler } from 'fastify';
import fp from 'fastify-plugin';

const UnsupportedMediaType = createError('SIMPLE_REST_UNSUPPORTED_MEDIA_TYPE', '%s', 415);

/** What a route with a body takes when its schema names no `consumes`. */
const DEFAULT_CONSUMES = ['application/json'] as const;

/** `application/<anything>+json` (merge-patch, problem, …) is JSON too: parsed like it. */
const JSON_SUFFIX = /^application\/[\w.-]+\+json$/;

/** True when the request carries a body, whatever its method. */
function hasBody(headers: Record<string, string | string[] | undefined>): boolean {
  const length = headers['content-length'];
  return (length !== undefined && length !== '0') || headers['transfer-encoding'] !== undefined;
}

/**
 * Request bodies, for every route with a body schema: the media types it takes are its schema's
 * `consumes` (JSON by default), and any other gets 415 before the body is read, as does a
 * declared charset other than UTF-8 (which would otherwise be decoded as UTF-8 and stored
 * mangled). A route may lower the service's body limit (`bodyLimit`), never raise it; past the
 * limit Fastify answers 413. Checked per route, so routes without a body pay nothing.
 */
const requestBodies = fp<{ bodyLimitBytes: number }>(
  async (app, { bodyLimitBytes }) => {
    app.addContentTypeParser(JSON_SUFFIX, { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
    app.addHook('onRoute', (route) => {
      if (route.bodyLimit !== undefined) route.bodyLimit = Math.min(route.bodyLimit, bodyLimitBytes);
      if (route.schema?.body === undefined) return;
      const accepted = new Set((route.schema.consumes ?? DEFAULT_CONSUMES).map((type) => type.toLowerCase()));
      const checkMediaType: preParsingHookHandler = (request, _reply, payload, done) => {
        if (!hasBody(request.headers)) return done(null, payload);
        const problem = mediaTypeProblem(request.headers['content-type'], accepted);
        if (problem === undefined) done(null, payload);
        else done(new UnsupportedMediaType(problem));
      };
      route.preParsing = [checkMediaType, ...[route.preParsing ?? []].flat()];
    });
  },
  { name: 'simple-rest-request-bodies' },
);

/** Why a Content-Type is refused, or undefined when the route takes it. */
function mediaTypeProblem(header: string | undefined, accepted: ReadonlySet<string>): string | undefined {
  const expected = `Content-Type must be ${[...accepted].join(' or ')}`;
  if (header === undefined) return `${expected}; none was given`;
  const { type, parameters } = parseContentType(header);
  if (!accepted.has(type.toLowerCase())) return `${expected}, not ${type || 'empty'}`;
  const charset = parameters.charset?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return `charset must be utf-8, not ${parameters.charset}`;
  }
  return undefined;
}

export default requestBodies;
