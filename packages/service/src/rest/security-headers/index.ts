import type { Concern } from '../concern.js';
import securityHeaders from './step.js';

/** helmet's headers for an API, on every answer. */
const security: Concern = {
  step: securityHeaders,
};

export default security;
