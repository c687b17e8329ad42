// The OpenAPI document of the whole service: operation ids, problem answers, and what a linter needs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { documentedSchema } from '../../../src/rest/openapi/plugin.js';
import { buildTestApp, recordingRoutes } from '../../support/app.js';

interface Operation {
  operationId: string;
  responses: Record<string, { headers?: Record<string, unknown> }>;
}

async function operations(t: Parameters<typeof buildTestApp>[0], moduleList: string) {
  const app = await buildTestApp(t, { moduleList });
  const document = (await app.inject({ url: '/openapi.json' })).json() as {
    paths: Record<string, { get: Operation }>;
    servers: unknown;
    security: unknown;
    info: { license?: { name: string }; contact?: { url: string } };
  };
  return {
    document,
    byPath: Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path, item.get])),
  };
}

test("a module's operation ids come from its name and routes, not from its prefix", async (t) => {
  const atX = (await operations(t, '@simple-rest/blueprint=/x')).byPath;
  const atY = (await operations(t, '@simple-rest/blueprint=/y')).byPath;
  assert.equal(atX['/x/{name}/']?.operationId, 'blueprint.getByName');
  assert.equal(atY['/y/{name}/']?.operationId, 'blueprint.getByName');
  assert.equal(atX['/{name}/']?.operationId, 'greetings.getByName');
  assert.equal(atX['/healthz']?.operationId, 'operations.getHealthz');
});

test('operation ids stay unique when one module is mounted twice, or under two aliases', async (t) => {
  const { byPath } = await operations(t, '@simple-rest/blueprint=/a,@simple-rest/blueprint=/b');
  assert.equal(byPath['/a/']?.operationId, 'blueprint.get');
  assert.equal(byPath['/b/']?.operationId, 'blueprint2.get');
  const ids = Object.values(byPath).map((operation) => operation?.operationId);
  assert.equal(new Set(ids).size, ids.length);
});

test('the problem answers are documented: 400 where there are parameters, 503 with Retry-After on the API', async (t) => {
  const { document, byPath } = await operations(t, '@simple-rest/blueprint=/blueprint');
  assert.deepEqual(Object.keys(byPath['/blueprint/{name}/']?.responses ?? {}).sort(), ['200', '400', '4XX', '503']);
  assert.deepEqual(Object.keys(byPath['/blueprint/']?.responses ?? {}).sort(), ['200', '4XX', '503']);
  assert.ok(byPath['/{name}/']?.responses[503]?.headers?.['Retry-After']);
  assert.deepEqual(Object.keys(byPath['/healthz']?.responses ?? {}).sort(), ['200', '4XX']);
  assert.deepEqual(document.servers, [{ url: '/', description: 'This service, wherever it is reached' }]);
  assert.deepEqual(document.security, []);
  assert.equal(document.info.license?.name, 'MIT');
  assert.equal(document.info.contact?.url, 'https://github.com/simple-rest/simple-rest');
});

test("the host's documentation is in the document only: a route keeps the schema its module wrote", async (t) => {
  const recorder = recordingRoutes();
  const app = await buildTestApp(t, {
    moduleList: '@simple-rest/blueprint=/blueprint',
    instrumentation: recorder.plugin,
  });
  await app.ready();
  const byName = recorder.routes.find(({ url }) => url === '/blueprint/:name/')?.options;
  assert.ok(byName);
  // Each status in a route's own schema costs it a serializer, and Fastify a map of them by status.
  assert.deepEqual(Object.keys(byName.schema?.response ?? {}), ['200']);
  assert.deepEqual(Object.keys(byName.schema ?? {}), ['summary', 'params', 'response']);
  const documented = documentedSchema(byName);
  assert.deepEqual(Object.keys(documented?.response ?? {}).sort(), ['200', '400', '4XX', '503']);
  assert.equal(documented?.operationId, 'blueprint.getByName');
  assert.deepEqual(documented?.tags, ['blueprint']);
  // A route no documentRoutes hook saw is documented as it is.
  const undocumented = { method: 'GET', schema: { response: { 200: { type: 'string' } } } };
  assert.equal(documentedSchema(undocumented), undocumented.schema);
  // The answers themselves are the same problem documents as before.
  const invalid = await app.inject({ url: `/blueprint/${'x'.repeat(101)}/` });
  assert.equal(invalid.statusCode, 400);
  assert.equal(invalid.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(Object.keys(invalid.json()), ['type', 'title', 'status', 'detail']);
});
