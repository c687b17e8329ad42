import type { Concern } from '../concern.js';
import readinessState from './plugin.js';
import connectionClose from './step.js';

/** Whether the service is draining (/readyz, shutdown), and `Connection: close` on every answer while it is. */
const readiness: Concern = {
  plugin: readinessState,
  step: connectionClose,
};

export default readiness;
