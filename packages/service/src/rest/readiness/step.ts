import type { StepFactory } from '../concern.js';

/**
 * While draining, every answer says `Connection: close`, so clients reconnect elsewhere and a
 * connection whose request finishes during shutdown ends with it instead of idling until the
 * client's keep-alive timeout. Decided as the answer is sent: draining may begin mid-request.
 */
const connectionClose: StepFactory = () => ({
  onSend: (_request, reply, payload) => {
    if (reply.server.readiness.draining) reply.header('connection', 'close');
    return payload;
  },
});

export default connectionClose;
