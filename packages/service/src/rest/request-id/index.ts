import type { Concern } from '../concern.js';
import chooseRequestId from './server-option.js';
import echoRequestId from './step.js';

/** Each request's id: the caller's `X-Request-Id` when well formed, or a new one, echoed on its answer. */
const requestId: Concern = {
  serverOptions: chooseRequestId,
  step: echoRequestId,
};

export default requestId;
