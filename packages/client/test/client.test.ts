// The running service, called through the typed client for every documented operation, errors
// included; each answer is checked against the OpenAPI document, so a route that answers a
// status, a content type, a body or a header its documentation does not list fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { waitFor } from '@simple-rest/testing';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { startService } from '../../service/test/support/process.js';
import { AUDIENCE, startTokenIssuer } from '../../service/test/support/token-issuer.js';
import { createSimpleRestClient } from '../src/index.js';

interface MediaType {
  readonly schema?: object;
}
interface DocumentedResponse {
  readonly content?: Record<string, MediaType>;
  readonly headers?: Record<string, unknown>;
}
interface OpenApiDocument {
  readonly paths: Record<string, Record<string, { readonly responses: Record<string, DocumentedResponse> }>>;
  readonly components: { readonly schemas: Record<string, object> };
}

const document = JSON.parse(readFileSync(new URL('../openapi.json', import.meta.url), 'utf8')) as OpenApiDocument;
const ajv = new Ajv2020({ strict: false });
ajv.addSchema({ $id: 'openapi.json', components: document.components });

/** Every operation answered in this test, to check that none was left out. */
const answered = new Set<string>();

/** Fails unless the answer's status, content type, body and headers are what the document lists. */
function assertDocumented(
  template: string,
  result: { response: Response; data?: unknown; error?: unknown },
  method = 'GET',
) {
  const { response } = result;
  const responses = document.paths[template]?.[method.toLowerCase()]?.responses;
  assert.ok(responses, `${method} ${template} is not in the document`);
  answered.add(`${method} ${template}`);
  const status = String(response.status);
  const documented = responses[status] ?? responses[`${status[0]}XX`];
  assert.ok(documented, `GET ${template} answered ${status}; the document lists ${Object.keys(responses)}`);
  if (documented.content === undefined) {
    assert.equal(response.headers.get('content-length') ?? '0', '0', `${method} ${template} ${status} has a body`);
    return;
  }
  const type = response.headers.get('content-type')?.split(';')[0] ?? '';
  const media = documented.content[type];
  assert.ok(
    media,
    `${method} ${template} answered ${status} as ${type}; documented: ${Object.keys(documented.content ?? {})}`,
  );
  if (media.schema) {
    const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"openapi.json#/components/'));
    const body = result.data ?? result.error;
    assert.ok(
      ajv.validate(schema, body),
      `${method} ${template} ${status}: ${ajv.errorsText()} in ${JSON.stringify(body)}`,
    );
  }
  for (const header of Object.keys(documented.headers ?? {})) {
    if (header === 'Link') continue; // only when there may be a next page
    assert.ok(response.headers.has(header), `${method} ${template} ${status} lacks its documented ${header} header`);
  }
}

/** /readyz is 503 until the service has its token provider's keys. */
function waitUntilReady(url: string): Promise<boolean> {
  return waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: `${url}/readyz answers 200` });
}

test('every documented operation, through the typed client, answers as documented', async (t) => {
  const issuer = await startTokenIssuer(t);
  const service = await startService({
    MODULES: '@simple-rest/blueprint,@simple-rest/dice,@simple-rest/notes',
    SHUTDOWN_DELAY_MS: '2000',
    AUTH_ISSUER: issuer.issuer,
    AUTH_AUDIENCE: AUDIENCE,
    // The embedded database blocks the event loop as it opens, which load shedding would read as
    // overload for a moment after; this test is about what the document says.
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  t.after(() => service.child.kill('SIGKILL'));
  await waitUntilReady(service.url);
  const client = createSimpleRestClient(service.url, { token: () => issuer.sign() });
  const asJson = { headers: { accept: 'application/json' } };

  const root = await client.GET('/', { parseAs: 'text' });
  assert.equal(root.data, 'Hallo from CORE!');
  assertDocumented('/', root);
  const rootJson = await client.GET('/', asJson);
  assert.deepEqual(rootJson.data, { message: 'Hallo from CORE!' });
  assertDocumented('/', rootJson);

  const named = await client.GET('/{name}/', { params: { path: { name: 'Kalimaha' } }, parseAs: 'text' });
  assert.equal(named.data, 'Hallo Kalimaha from CORE!');
  assertDocumented('/{name}/', named);
  const tooLong = await client.GET('/{name}/', { params: { path: { name: 'a'.repeat(101) } } });
  assert.equal(tooLong.response.status, 400);
  assert.equal(tooLong.error?.detail, 'params/name must NOT have more than 100 characters');
  assertDocumented('/{name}/', tooLong);

  const blueprint = await client.GET('/blueprint/', { parseAs: 'text' });
  assert.equal(blueprint.data, 'Hallo!');
  assertDocumented('/blueprint/', blueprint);
  const blueprintNamed = await client.GET('/blueprint/{name}/', { params: { path: { name: 'Kalimaha' } }, ...asJson });
  assert.deepEqual(blueprintNamed.data, { message: 'Hallo Kalimaha!' });
  assertDocumented('/blueprint/{name}/', blueprintNamed);

  const die = await client.GET('/dice/', { parseAs: 'text' });
  assert.match(String(die.data), /^1d6: [1-6] = [1-6]$/);
  assertDocumented('/dice/', die);
  const dice = await client.GET('/dice/{notation}/', { params: { path: { notation: '3d6' } }, parseAs: 'text' });
  assert.match(String(dice.data), /^3d6: /);
  assertDocumented('/dice/{notation}/', dice);
  const notDice = await client.GET('/dice/{notation}/', { params: { path: { notation: 'abc' } } });
  assert.equal(notDice.response.status, 400);
  assertDocumented('/dice/{notation}/', notDice);

  // The notes, on the embedded database: every method, and the answers a client must handle.
  const id = { params: { path: { id: 'milk' } } };
  const anonymous = await createSimpleRestClient(service.url).GET('/notes/{id}/', id);
  assert.equal(anonymous.response.status, 401);
  assertDocumented('/notes/{id}/', anonymous);
  const created = await client.PUT('/notes/{id}/', { ...id, body: { text: 'Buy milk' } });
  assert.equal(created.response.status, 201);
  assertDocumented('/notes/{id}/', created, 'PUT');
  const etag = created.response.headers.get('etag') ?? '';
  const replaced = await client.PUT('/notes/{id}/', {
    ...id,
    body: { text: 'Buy oat milk' },
    headers: { 'if-match': etag },
  });
  assert.equal(replaced.response.status, 200);
  assertDocumented('/notes/{id}/', replaced, 'PUT');
  const stale = await client.PUT('/notes/{id}/', { ...id, body: { text: 'x' }, headers: { 'if-match': etag } });
  assert.equal(stale.response.status, 412);
  assertDocumented('/notes/{id}/', stale, 'PUT');
  const note = await client.GET('/notes/{id}/', id);
  assert.equal(note.data?.text, 'Buy oat milk');
  assertDocumented('/notes/{id}/', note);
  const list = await client.GET('/notes/', { params: { query: { limit: 10 } } });
  assert.deepEqual(
    list.data?.map((item) => item.id),
    ['milk'],
  );
  assertDocumented('/notes/', list);
  const deleted = await client.DELETE('/notes/{id}/', id);
  assert.equal(deleted.response.status, 204);
  assertDocumented('/notes/{id}/', deleted, 'DELETE');
  const gone = await client.DELETE('/notes/{id}/', id);
  assert.equal(gone.response.status, 404);
  assertDocumented('/notes/{id}/', gone, 'DELETE');
  assertDocumented('/notes/{id}/', await client.GET('/notes/{id}/', id));

  assertDocumented('/healthz', await client.GET('/healthz'));
  const ready = await client.GET('/readyz');
  assert.deepEqual(ready.data, { status: 'ready' });
  assertDocumented('/readyz', ready);
  const version = await client.GET('/version');
  assert.deepEqual(
    version.data?.modules.map((module) => module.prefix),
    ['/blueprint', '/dice', '/notes'],
  );
  assertDocumented('/version', version);
  const metrics = await client.GET('/metrics', { parseAs: 'text' });
  assert.match(String(metrics.data), /^# HELP /m);
  assertDocumented('/metrics', metrics);
  assertDocumented('/openapi.json', await client.GET('/openapi.json'));

  // Draining: /readyz answers its documented 503 while the service finishes serving.
  service.child.kill('SIGTERM');
  let draining = await client.GET('/readyz');
  for (let attempt = 0; attempt < 20 && draining.response.status !== 503; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    draining = await client.GET('/readyz');
  }
  assert.equal(draining.response.status, 503);
  assert.deepEqual(draining.error, { status: 'draining' });
  assertDocumented('/readyz', draining);
  assert.equal(await service.exited, 0);

  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
  );
  assert.deepEqual([...answered].sort(), operations.sort(), 'every documented operation was called');
});
