import { answerError } from '../plugins/errors.js';
import { stepHooks } from '../steps/step.js';
import type { ServerOption } from './server-option.js';

/**
 * Errors Fastify raises before routing (an undecodable URL, say) run no hook, so they get every
 * answer's headers here, then the same problem JSON as every other error (plugins/errors.ts).
 */
const frameworkErrors: ServerOption = ({ steps }) => {
  const { onRequest } = stepHooks(steps);
  return {
    frameworkErrors: (error, request, reply) => {
      onRequest.call(reply.server, request, reply, () => undefined);
      answerError(error, request, reply);
    },
  };
};

export default frameworkErrors;
