// `npm run issuer -- [scope…] [--port 5556] [--audience simple-rest]`: runs a local OpenID provider
// (scripts/local-issuer.ts) until Ctrl-C, and prints how to start the service against it and a
// token granting the scopes: those named, else every scope the modules in MODULES declare.
// For development only: its key and clients live in memory, and its secret is printed.
import { parseArgs } from 'node:util';
import { loadConfig } from '../packages/service/src/config/index.js';
import { resolveModules } from '../packages/service/src/modules.js';
import { buildApp } from '../packages/service/src/rest/app.js';
import { declaredScopes } from '../packages/service/src/rest/auth/plugin.js';
import { LOCAL_AUDIENCE, startLocalIssuer } from './local-issuer.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { port: { type: 'string', default: '5556' }, audience: { type: 'string', default: LOCAL_AUDIENCE } },
});

/** Every scope the routes of the modules in MODULES declare, as the service would mount them. */
async function modulesScopes(): Promise<string[]> {
  const modules = await resolveModules(loadConfig(process.env).modules, process.env);
  const app = await buildApp({ modules, auth: 'disabled' });
  await app.ready();
  const scopes = declaredScopes(app).sort();
  await app.close();
  return scopes;
}

const scopes = positionals.length > 0 ? positionals : await modulesScopes();
if (scopes.length === 0) {
  process.stderr.write(
    'no scopes: name some (npm run issuer -- notes:read), or set MODULES to modules that declare them\n',
  );
  process.exit(1);
}
const local = await startLocalIssuer({ scopes, audience: values.audience, port: Number(values.port) });
const token = await local.token(scopes);
process.stdout.write(`A local OpenID provider, for development only, at ${local.issuer} (Ctrl-C stops it).

Start the service against it, in another terminal:
  AUTH_ISSUER=${local.issuer} AUTH_AUDIENCE=${local.audience} AUTH_TOKEN_TYPE=at+jwt npm start

A token granting ${scopes.join(' ')} (1 hour):
  export TOKEN=${token}
  curl -H "Authorization: Bearer $TOKEN" http://localhost:5000/…

Another token, for fewer scopes:
  curl -s -d grant_type=client_credentials -d client_id=${local.client.id} -d client_secret=${local.client.secret} -d resource=${local.resource} --data-urlencode 'scope=${scopes[0]}' ${local.issuer}/token
`);
