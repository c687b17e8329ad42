// What the host promises every module, and every route answering as it documents, checked on a
// fresh instance seeded with the item the examples name.
import { testModule } from '@simple-rest/testing';
import module from '../src/index.js';

testModule(module, {
  setup: async (app, prefix) => {
    await app.inject({ method: 'PUT', url: `${prefix}/items/first/`, payload: { text: 'Buy milk' } });
  },
});
