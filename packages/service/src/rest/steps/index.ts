// The steps every answer goes through, in this order: to add work to every answer, add a file
// of the same shape (step.ts) and name it here.
import connectionClose from './connection-close.js';
import contentNegotiation from './content-negotiation.js';
import corsHeaders from './cors-headers.js';
import headRequests from './head-requests.js';
import requestId from './request-id.js';
import securityHeaders from './security-headers.js';
import type { StepFactory } from './step.js';

export const STEPS: readonly StepFactory[] = [
  headRequests,
  requestId,
  securityHeaders,
  corsHeaders,
  connectionClose,
  contentNegotiation,
];
