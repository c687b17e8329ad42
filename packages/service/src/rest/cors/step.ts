import type { StepFactory } from '../concern.js';
import { EXPOSED_HEADERS } from './plugin.js';

/**
 * The CORS headers of an ordinary answer, as @fastify/cors would set them (a differential test
 * holds them to the library; preflights are plugin.ts's). For `*`, fixed headers;
 * for a list of origins, a listed Origin is granted and every answer says `Vary: Origin`.
 */
const corsHeaders: StepFactory<'corsOrigins'> = ({ corsOrigins }) => {
  if (corsOrigins === '*') {
    return { headers: { 'access-control-allow-origin': '*', 'access-control-expose-headers': EXPOSED_HEADERS } };
  }
  const listed = new Set(corsOrigins);
  return {
    headers: { 'access-control-expose-headers': EXPOSED_HEADERS },
    onRequest: (request, reply) => {
      reply.header('vary', 'Origin');
      const { origin } = request.headers;
      if (origin !== undefined && listed.has(origin)) reply.header('access-control-allow-origin', origin);
    },
  };
};

export default corsHeaders;
