import createError from '@fastify/error';
import { emptyResponse, jsonResponse, problemResponse } from '@simple-rest/module-contract';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { entityTag, type NoteStore, parseIfMatch, publicNote, type StoredNote } from '../core/notes.js';

const NoSuchNote = createError('NOTE_NOT_FOUND', 'No note has the id %s', 404);
const PreconditionFailed = createError(
  'NOTE_PRECONDITION_FAILED',
  'If-Match does not name the current ETag of note %s: nothing was changed',
  412,
);

const noteSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    text: { type: 'string' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
  required: ['id', 'text', 'updatedAt'],
} as const;

// An id is 1 to 100 unreserved characters (RFC 3986), but not `.` or `..`, which clients rewrite.
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', pattern: '^(?!\\.\\.?$)[A-Za-z0-9._~-]{1,100}$', examples: ['first'] } },
  required: ['id'],
} as const;

const ifMatchHeader = {
  type: 'object',
  properties: {
    'if-match': { type: 'string', description: 'Change the note only if its ETag is one of these (or `*`)' },
  },
} as const;

const noteBody = {
  type: 'object',
  properties: { text: { type: 'string', maxLength: 10_000 } },
  required: ['text'],
  additionalProperties: false,
  examples: [{ text: 'Buy milk' }],
} as const;

const listQuery = {
  type: 'object',
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100, examples: [10] },
    after: { type: 'string', maxLength: 100, description: 'Only notes whose id sorts after this one' },
  },
  additionalProperties: false,
} as const;

const etagHeader = { ETag: { type: 'string', description: "The note's revision" } };
// The host answers 503 for a database out of reach, whatever the route.
const unavailable = problemResponse('The database is unavailable: try again later');

function sendNote(reply: FastifyReply, note: StoredNote, status = 200): FastifyReply {
  return reply.code(status).header('etag', entityTag(note)).send(publicNote(note));
}

// Reading needs notes:read, writing notes:write: the host checks the caller's token.
const reader = { scopes: ['notes:read'] };
const writer = { scopes: ['notes:write'] };

/** The notes routes over one store, relative to whatever prefix the host mounts them at. */
export function noteRoutes(store: NoteStore): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { limit: number; after?: string } }>(
      '/',
      {
        config: reader,
        schema: {
          summary: 'List notes by id, a page at a time',
          querystring: listQuery,
          response: {
            200: {
              ...jsonResponse('A page of notes; `Link: <…>; rel="next"` when there may be more', {
                type: 'array',
                items: noteSchema,
              }),
              headers: { Link: { type: 'string', description: 'The next page' } },
            },
            503: unavailable,
          },
        },
      },
      async (request, reply) => {
        const { limit, after } = request.query;
        const notes = await store.list(limit, after);
        const last = notes.at(-1);
        if (last !== undefined && notes.length === limit) {
          const next = new URLSearchParams({ limit: String(limit), after: last.id });
          reply.header('link', `<${request.url.split('?', 1)[0]}?${next}>; rel="next"`);
        }
        return notes.map(publicNote);
      },
    );

    app.get<{ Params: { id: string } }>(
      '/:id/',
      {
        config: reader,
        schema: {
          summary: 'Get a note, with its ETag',
          params: idParams,
          response: {
            200: { ...jsonResponse('The note', noteSchema), headers: etagHeader },
            404: problemResponse('No note has this id'),
            503: unavailable,
          },
        },
      },
      async (request, reply) => {
        const note = await store.get(request.params.id);
        if (note === undefined) throw new NoSuchNote(request.params.id);
        return sendNote(reply, note);
      },
    );

    app.put<{ Params: { id: string }; Body: { text: string }; Headers: { 'if-match'?: string } }>(
      '/:id/',
      {
        config: writer,
        schema: {
          summary: 'Create or replace a note; with If-Match, only the revision named',
          params: idParams,
          headers: ifMatchHeader,
          body: noteBody,
          response: {
            200: { ...jsonResponse('The note, replaced', noteSchema), headers: etagHeader },
            201: { ...jsonResponse('The note, created', noteSchema), headers: etagHeader },
            412: problemResponse('If-Match does not name the current ETag: nothing was changed'),
            503: unavailable,
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const result = await store.put(id, request.body.text, parseIfMatch(request.headers['if-match']));
        if (result.outcome === 'precondition failed') throw new PreconditionFailed(id);
        return sendNote(reply, result.note, result.outcome === 'created' ? 201 : 200);
      },
    );

    app.delete<{ Params: { id: string }; Headers: { 'if-match'?: string } }>(
      '/:id/',
      {
        config: writer,
        schema: {
          summary: 'Delete a note; with If-Match, only the revision named',
          params: idParams,
          headers: ifMatchHeader,
          response: {
            204: emptyResponse('Deleted'),
            404: problemResponse('No note has this id'),
            412: problemResponse('If-Match does not name the current ETag: nothing was deleted'),
            503: unavailable,
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const precondition = parseIfMatch(request.headers['if-match']);
        if (await store.delete(id, precondition)) return reply.code(204).send();
        throw precondition === undefined ? new NoSuchNote(id) : new PreconditionFailed(id);
      },
    );
  };
}
