import type { Concern } from '../concern.js';
import contentNegotiation from './step.js';

/** Plain text, or the same text as JSON for a client that prefers it. */
const negotiation: Concern = {
  step: contentNegotiation,
};

export default negotiation;
