import type { Concern } from '../concern.js';
import corsPreflight from './plugin.js';
import corsHeaders from './step.js';

/** CORS: the headers of every answer, and preflights answered from the route table. */
const cors: Concern = {
  step: corsHeaders,
  plugin: corsPreflight,
};

export default cors;
