import type { StepFactory } from '../concern.js';

/** Echoes the request id (server-option.ts chooses it) on every answer, so a caller can quote it against the logs. */
const requestId: StepFactory = () => ({ headers: { 'x-request-id': (request) => request.id } });

export default requestId;
