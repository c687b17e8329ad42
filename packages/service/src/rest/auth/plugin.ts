import type { Caller } from '@simple-rest/module-contract';
import type { FastifyReply, onRequestHookHandler, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { sendProblem } from '../errors/problem.js';
import type { TokenVerifier } from './token-verifier.js';

/** A route that declares scopes, as registered. */
export interface ProtectedRoute {
  readonly method: string;
  readonly url: string;
  readonly scopes: readonly string[];
  /** The options object, tagged with its module (config.servedBy) before this plugin saw it (rest/routes/groups.ts). */
  readonly route: RouteOptions;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route that declares scopes: main.ts refuses to start with some and no AUTH_ISSUER. */
    readonly protectedRoutes: readonly ProtectedRoute[];
  }
}

type WithProtectedRoutes = { readonly protectedRoutes: readonly ProtectedRoute[] };

/** Every scope the app's routes declare, each once, in the order they were registered. */
export function declaredScopes(app: WithProtectedRoutes): string[] {
  return [...new Set(app.protectedRoutes.flatMap(({ scopes }) => scopes))];
}

/**
 * Who would be served unguarded with no one to check tokens: the first module (or the service)
 * whose routes declare scopes, and every scope declared. The service and the test kit's
 * mountModule both refuse to go on without a verifier, or auth disabled, when there is one.
 */
export function scopesWithoutVerifier(
  app: WithProtectedRoutes,
): { readonly owner: string; readonly scopes: string } | undefined {
  const [first] = app.protectedRoutes;
  if (first === undefined) return undefined;
  return { owner: first.route.config?.servedBy?.name ?? 'the service', scopes: declaredScopes(app).join(', ') };
}

const REALM = 'simple-rest';
// RFC 6750 §2.1: b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i;

/**
 * Routes that declare scopes (`config.scopes`) take a bearer token, verified by `verifier`, and
 * answer as RFC 6750 says: 401 with `WWW-Authenticate: Bearer …` without a valid token
 * (`error="invalid_token"` when one was sent), 403 with `error="insufficient_scope"` when it lacks
 * a scope. The check is a hook on each protected route, so public routes and CORS preflights pay
 * nothing and never answer 401. `disabled` lets every request through (AUTH_DISABLED=true); no
 * verifier at all refuses every request to a protected route.
 */
const authentication = fp<{ verifier: TokenVerifier | 'disabled' | undefined }>(
  async (app, { verifier }) => {
    app.decorateRequest('auth', undefined);
    const protectedRoutes: ProtectedRoute[] = [];
    app.decorate('protectedRoutes', protectedRoutes);
    app.addHook('onRoute', (route) => {
      const scopes = route.config?.scopes ?? [];
      if (scopes.length === 0) return;
      for (const method of [route.method].flat()) protectedRoutes.push({ method, url: route.url, scopes, route });
      if (verifier === 'disabled') return;
      // Prepended: who is calling is settled before anything the route itself does.
      route.onRequest = [authenticate(verifier, scopes), ...[route.onRequest ?? []].flat()];
    });
    if (verifier !== 'disabled' && verifier !== undefined) {
      app.addHook('onReady', async () => verifier.start(app.log));
      app.addHook('onClose', async () => verifier.stop());
    }
  },
  { name: 'simple-rest-authentication' },
);

function authenticate(verifier: TokenVerifier | undefined, scopes: readonly string[]): onRequestHookHandler {
  const needed = scopes.join(' ');
  return async (request, reply) => {
    const header = request.headers.authorization;
    const token = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (token === undefined) {
      request.log.info({ scheme: schemeOf(header) }, 'no bearer token');
      return refuse(
        reply,
        401,
        `Bearer realm="${REALM}", scope="${needed}"`,
        `This needs a bearer token with the scope ${needed}`,
      );
    }
    let caller: Caller;
    try {
      if (verifier === undefined) throw new Error('no issuer is configured');
      caller = await verifier.verify(token);
    } catch (error) {
      request.log.info({ reason: (error as { reason?: string }).reason ?? (error as Error).message }, 'token refused');
      return refuse(reply, 401, `Bearer realm="${REALM}", error="invalid_token"`, 'The bearer token is not valid here');
    }
    request.log = request.log.child({ subject: caller.subject });
    const missing = scopes.filter((scope) => !caller.scopes.includes(scope));
    if (missing.length > 0) {
      request.log.info({ missing }, 'token lacks a scope');
      return refuse(
        reply,
        403,
        `Bearer realm="${REALM}", error="insufficient_scope", scope="${needed}"`,
        `The token lacks the scope ${missing.join(' ')}`,
      );
    }
    request.auth = caller;
  };
}

// Authentication schemes named in the log as sent; any other first word might be a token.
const KNOWN_SCHEMES = new Set(['basic', 'bearer', 'digest', 'dpop', 'hoba', 'mutual', 'negotiate', 'ntlm', 'token']);

/** The scheme of an Authorization header without a bearer token, for the log: never a word that could be a secret. */
function schemeOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const [word = ''] = /^[A-Za-z0-9-]+(?= )/.exec(header) ?? [];
  return KNOWN_SCHEMES.has(word.toLowerCase()) ? word : 'unrecognized';
}

function refuse(reply: FastifyReply, status: 401 | 403, challenge: string, detail: string): FastifyReply {
  return sendProblem(reply.header('www-authenticate', challenge), status, detail);
}

export default authentication;
