import type { FastifyPluginAsync } from 'fastify';
import { serviceInfo } from '../../info.js';
import { findUnreadyModules, type LiveModule } from '../../module-lifecycle.js';
import type { MountedModule } from '../../modules.js';
import type { Platform } from '../../platform/index.js';
import type { TokenVerifier } from '../auth/token-verifier.js';
import { docsRoutes } from '../openapi/docs-routes.js';

const statusSchema = {
  type: 'object',
  properties: { status: { type: 'string' } },
  required: ['status'],
} as const;

const unreadySchema = {
  type: 'object',
  properties: {
    status: { type: 'string' },
    modules: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, reason: { type: 'string' } },
        required: ['name', 'reason'],
      },
    },
    authentication: { type: 'string', description: 'Why tokens cannot be checked yet' },
  },
  required: ['status'],
} as const;

/**
 * The operations routes: what an orchestrator, an operator or an API consumer asks of the
 * service itself (liveness, readiness, version, metrics, the OpenAPI document and its UI).
 * app.ts registers them in one scope and reserves their paths, so no module can shadow them.
 */
export const operationsRoutes: FastifyPluginAsync<{
  modules: readonly MountedModule[];
  /** The modules' instances in this app, whose ready() /readyz asks. */
  instances: readonly LiveModule[];
  moduleReadyTimeoutMs: number;
  /** The modules' database schemas, whose migrations /version shows. */
  platform: Platform;
  /** Checks tokens: /readyz waits until it has the provider's keys. */
  verifier?: TokenVerifier;
}> = async (app, { modules, instances, moduleReadyTimeoutMs, platform, verifier }) => {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness: the process is up and its event loop turns',
        response: { 200: { description: 'The process is up', ...statusSchema } },
      },
    },
    async () => ({ status: 'ok' }),
  );

  app.get(
    '/readyz',
    {
      schema: {
        summary:
          "Readiness: 503 once shutdown has begun, or while a module's ready() fails, so load balancers stop sending",
        response: {
          200: { description: 'Ready to serve', ...statusSchema },
          503: { description: 'Draining, or a module is not ready', ...unreadySchema },
        },
      },
    },
    async (request, reply) => {
      if (app.readiness.draining) return reply.code(503).send({ status: 'draining' });
      if (verifier && !verifier.ready) {
        return reply
          .code(503)
          .send({ status: 'not ready', authentication: "the token provider's keys are not fetched yet" });
      }
      const unready = await findUnreadyModules(instances, request.log, moduleReadyTimeoutMs);
      return unready.length === 0
        ? { status: 'ready' }
        : reply.code(503).send({ status: 'not ready', modules: unready });
    },
  );

  // A module with a database also shows its schema and the last migration its code and the
  // database know: after a downgrade the database's is the higher.
  const version = () => ({
    name: serviceInfo.name,
    version: serviceInfo.version,
    modules: modules.map(({ module, prefix }) => {
      const database = platform.versionOf(module);
      return { name: module.name, version: module.version, prefix, ...(database && { database }) };
    }),
  });
  app.get(
    '/version',
    {
      schema: {
        summary: 'The service and each mounted module, with versions and prefixes',
        response: {
          200: {
            description: 'The service and its modules',
            type: 'object',
            properties: {
              name: { type: 'string' },
              version: { type: 'string' },
              modules: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    name: { type: 'string' },
                    version: { type: 'string' },
                    prefix: { type: 'string' },
                    database: {
                      type: 'object',
                      description: "The module's schema, and the last migration its code and the database know",
                      properties: {
                        schema: { type: 'string' },
                        migrations: {
                          type: 'object',
                          properties: { code: { type: 'integer' }, database: { type: 'integer' } },
                          required: ['code', 'database'],
                        },
                      },
                      required: ['schema'],
                    },
                  },
                  required: ['name', 'version', 'prefix'],
                },
              },
            },
            required: ['name', 'version', 'modules'],
          },
        },
      },
    },
    async () => version(),
  );

  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics in text exposition format',
        response: {
          200: {
            description: 'Metrics in the Prometheus text exposition format, version 0.0.4',
            content: { 'text/plain': { schema: { type: 'string' } } },
          },
        },
      },
    },
    async (_request, reply) => {
      const registry = app.metricsRegistry;
      return reply.type(registry.contentType).send(await registry.metrics());
    },
  );

  app.get(
    '/openapi.json',
    {
      schema: {
        summary: 'This OpenAPI document',
        response: {
          200: {
            description: 'OpenAPI 3.1',
            content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } },
          },
        },
      },
    },
    async () => (await app.openapi())(),
  );
  await app.register(docsRoutes);
};
