// The OpenAPI document alone, on a bare Fastify app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import blueprint from '@simple-rest/blueprint';
import Fastify from 'fastify';
import openapi from '../../../src/rest/openapi/plugin.js';

test('routes registered after it are documented, and each mounted module has its tag', async (t) => {
  const app = Fastify();
  await app.register(openapi, { modules: [{ module: blueprint, prefix: '/blueprint', settings: {} }] });
  app.get('/:name/', { schema: { summary: 'Greet', tags: ['greetings'] } }, async () => 'ok');
  t.after(() => app.close());
  await app.ready();
  const document = (await app.openapi())() as {
    openapi: string;
    info: { title: string };
    paths: Record<string, unknown>;
    tags: { name: string }[];
  };
  assert.equal(document.openapi, '3.1.0');
  assert.equal(document.info.title, '@simple-rest/service');
  assert.ok(document.paths['/{name}/']);
  assert.deepEqual(
    document.tags.map((tag) => tag.name),
    ['greetings', 'operations', 'blueprint'],
  );
});
