// What the host promises every module, and every route answering as it documents, checked on a
// fresh instance seeded with the item the examples name.
import { testModule } from '@simple-rest/testing';
import module from '../src/index.js';

testModule(module, {
  // request() carries a token with every scope the module's routes declare; a refused seed fails the kit.
  setup: ({ request, prefix }) =>
    request({ method: 'PUT', url: `${prefix}/items/first/`, payload: { text: 'Buy milk' } }),
});
