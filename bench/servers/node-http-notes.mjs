// The notes' ceiling: bare node:http and the same database calls as the notes module (one
// statement per request, the same SQL), answering GET and PUT /notes/{id}/ with the same JSON
// body, ETag and headers. PostgreSQL through a pg pool of 10 when DATABASE_URL is set,
// else the embedded PostgreSQL (PGlite) in memory. No validation, no logs, no routing library.
// With AUTH_ISSUER and AUTH_AUDIENCE, each request needs a bearer token that jose verifies with
// the issuer's keys (fetched once) and that grants notes:read (GET) or notes:write (PUT).
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { SAME_FOR_EVERY_RESPONSE } from './same-headers.mjs';

const { AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience } = process.env;
const verify = issuer
  ? await (async () => {
      const { createLocalJWKSet, jwtVerify } = await import('jose');
      const { jwks_uri } = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
      const keys = createLocalJWKSet(await (await fetch(jwks_uri)).json());
      return async (authorization, scope) => {
        if (!authorization?.startsWith('Bearer ')) return false;
        try {
          const { payload } = await jwtVerify(authorization.slice(7), keys, { issuer, audience });
          return String(payload.scope ?? '')
            .split(' ')
            .includes(scope);
        } catch {
          return false;
        }
      };
    })()
  : undefined;

const url = process.env.DATABASE_URL;
const query = url
  ? await (async () => {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: url, max: 10 });
      return async (sql, params) => (await pool.query(sql, params)).rows;
    })()
  : await (async () => {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create();
      return async (sql, params) => (await db.query(sql, params)).rows;
    })();
await query(`CREATE TABLE IF NOT EXISTS notes (
  id text COLLATE "C" PRIMARY KEY, text text NOT NULL, revision uuid NOT NULL, updated_at timestamptz NOT NULL,
  deleted_at timestamptz, revived boolean NOT NULL DEFAULT false)`);

const HEADERS = Object.entries(SAME_FOR_EVERY_RESPONSE).flat();
const NOTE = /^\/notes\/([A-Za-z0-9._~-]{1,100})\/$/;

function answer(response, status, row) {
  const body = JSON.stringify({ id: row.id, text: row.text, updatedAt: row.updated_at.toISOString() });
  response.writeHead(status, [
    'x-request-id',
    randomUUID(),
    ...HEADERS,
    'etag',
    `"${row.revision}"`,
    'content-type',
    'application/json; charset=utf-8',
    'content-length',
    Buffer.byteLength(body),
  ]);
  response.end(body);
}

async function serve(request, response) {
  const id = NOTE.exec(request.url ?? '')?.[1];
  if (id === undefined) return response.writeHead(404).end();
  const scope = request.method === 'GET' ? 'notes:read' : 'notes:write';
  if (verify && !(await verify(request.headers.authorization, scope))) return response.writeHead(401).end();
  if (request.method === 'GET') {
    const [row] = await query('SELECT id, text, revision, updated_at FROM notes WHERE id = $1 AND deleted_at IS NULL', [
      id,
    ]);
    return row ? answer(response, 200, row) : response.writeHead(404).end();
  }
  let body = '';
  for await (const chunk of request) body += chunk;
  const [row] = await query(
    `INSERT INTO notes (id, text, revision, updated_at) VALUES ($1, $2, gen_random_uuid(), now())
     ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, revision = EXCLUDED.revision,
       updated_at = EXCLUDED.updated_at, deleted_at = NULL, revived = notes.deleted_at IS NOT NULL
     RETURNING id, text, revision, updated_at, (xmax = 0 OR revived) AS created`,
    [id, JSON.parse(body).text],
  );
  answer(response, row.created ? 201 : 200, row);
}

// A client that goes away mid-request (wrk ending a slice) ends its request, not the server.
const server = createServer((request, response) => {
  serve(request, response).catch(() => response.destroy());
});
server.keepAliveTimeout = 72_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
