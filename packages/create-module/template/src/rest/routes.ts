import createError from '@fastify/error';
import { emptyResponse, jsonResponse, problemResponse } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { type ItemStore, StoreFullError } from '../core/items.js';

const NoSuchItem = createError('ITEM_NOT_FOUND', 'No item has the id %s', 404);
const StoreFull = createError('ITEM_STORE_FULL', '%s', 409);

const itemSchema = {
  type: 'object',
  properties: { id: { type: 'string' }, text: { type: 'string' } },
  required: ['id', 'text'],
} as const;

// `examples` are what the conformance kit sends: a path parameter, a body.
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^[A-Za-z0-9._~-]{1,100}$', examples: ['first'] } },
  required: ['id'],
} as const;

const itemBody = {
  type: 'object',
  properties: { text: { type: 'string', maxLength: 10_000 } },
  required: ['text'],
  additionalProperties: false,
  examples: [{ text: 'Buy milk' }],
} as const;

// Anyone may read; a write needs a token granting this scope (the host checks it: 401 without a
// token, 403 without the scope). Reads take a scope the same way: `config: { scopes: [...] }`.
const writer = { scopes: ['template-module:write'] };

// Documented answer headers are exposed to browser pages by the host's CORS, as X-Request-Id is.
const locationHeader = { Location: { type: 'string', description: 'Where the item is' } };

/** The item routes over one store, relative to whatever prefix the host mounts them at. */
export function itemRoutes(store: ItemStore): FastifyPluginAsync {
  return async (app) => {
    app.get(
      '/items/',
      {
        schema: {
          summary: 'List every item, by id',
          response: { 200: jsonResponse('Every item', { type: 'array', items: itemSchema }) },
        },
      },
      async () => store.list(),
    );

    app.get<{ Params: { id: string } }>(
      '/items/:id/',
      {
        schema: {
          summary: 'Get an item',
          params: idParams,
          response: { 200: jsonResponse('The item', itemSchema), 404: problemResponse('No item has this id') },
        },
      },
      async (request) => store.get(request.params.id) ?? Promise.reject(new NoSuchItem(request.params.id)),
    );

    app.put<{ Params: { id: string }; Body: { text: string } }>(
      '/items/:id/',
      {
        config: writer,
        // A route may take less than the service's body limit; a larger body gets 413.
        bodyLimit: 65_536,
        schema: {
          summary: 'Create or replace an item',
          params: idParams,
          body: itemBody,
          response: {
            200: jsonResponse('The item, replaced', itemSchema),
            201: { ...jsonResponse('The item, created', itemSchema), headers: locationHeader },
            409: problemResponse('The store is full: delete an item first'),
          },
        },
      },
      async (request, reply) => {
        try {
          const { item, created } = store.put(request.params.id, request.body.text);
          if (created) reply.header('location', request.url.split('?', 1)[0]);
          return reply.code(created ? 201 : 200).send(item);
        } catch (error) {
          if (error instanceof StoreFullError) throw new StoreFull(error.message);
          throw error;
        }
      },
    );

    app.delete<{ Params: { id: string } }>(
      '/items/:id/',
      {
        config: writer,
        schema: {
          summary: 'Delete an item',
          params: idParams,
          response: { 204: emptyResponse('Deleted'), 404: problemResponse('No item has this id') },
        },
      },
      async (request, reply) => {
        if (!store.delete(request.params.id)) throw new NoSuchItem(request.params.id);
        return reply.code(204).send();
      },
    );
  };
}
