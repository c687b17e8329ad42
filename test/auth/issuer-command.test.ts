// `npm run issuer`, as the README shows it: the local provider prints how to start the service
// against it and a token for the scopes the mounted modules declare; the service takes the token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitFor } from '@simple-rest/testing';
import { startService } from '../../packages/service/test/support/process.js';
import { runIssuerCommand } from './issuer-command.js';

const MODULES = '@simple-rest/blueprint=/blueprint,@simple-rest/notes';

test('npm run issuer prints the service settings and a token for every scope MODULES declares; the service takes it', async (t) => {
  const { settings, token, printed } = await runIssuerCommand(t, { env: process.env, modules: MODULES });
  const url = settings.AUTH_ISSUER;
  assert.match(printed, /A token granting notes:read notes:write \(1 hour\):/);

  const service = await startService({
    MODULES,
    ...settings,
    MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  t.after(() => service.child.kill('SIGKILL'));
  await waitFor(async () => (await fetch(`${service.url}/readyz`)).status === 200, { what: 'the service is ready' });
  const put = (bearer: string) =>
    fetch(`${service.url}/notes/local/`, {
      method: 'PUT',
      body: '{"text":"from the local issuer"}',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    });
  assert.equal((await put(token)).status, 201);

  // The printed command for another token, with fewer scopes, as curl would send it.
  const command = printed.split('\n').find((line) => line.trim().startsWith('curl -s -d grant_type')) ?? '';
  const field = (name: string) => new RegExp(`-d ${name}=(\\S+)`).exec(command)?.[1] ?? '';
  const answer = await fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: field('grant_type'),
      client_id: field('client_id'),
      client_secret: field('client_secret'),
      resource: field('resource'),
      scope: 'notes:read',
    }),
  });
  const reader = ((await answer.json()) as { access_token: string }).access_token;
  const refused = await put(reader);
  assert.equal(refused.status, 403);
  const read = await fetch(`${service.url}/notes/local/`, { headers: { authorization: `Bearer ${reader}` } });
  assert.equal(read.status, 200);
});
