// What the host promises every module, and every route answering as it documents, checked
// against a real PostgreSQL: the kit makes a fresh instance per check, and the embedded
// database takes seconds to open, a pool none. test/rest/api.test.ts covers the embedded one.
import { after, test } from 'node:test';
import { testModule } from '@simple-rest/testing';
import notes from '../src/index.js';
import { NO_POSTGRES, postgresIfInstalled } from './support.js';

const server = await postgresIfInstalled();
if (server === undefined) {
  test('the conformance kit, against PostgreSQL', { skip: NO_POSTGRES }, () => undefined);
} else {
  after(() => server.remove());
  testModule(notes, {
    database: { url: server.url },
    setup: ({ request, prefix }) => request({ method: 'PUT', url: `${prefix}/first/`, payload: { text: 'Buy milk' } }),
  });
}
