import type { Concern } from '../concern.js';
import routedAsGet from './server-option.js';
import methodRestored from './step.js';

/** HEAD answered by the GET route itself, as HEAD for everything after routing. */
const head: Concern = {
  serverOptions: routedAsGet,
  step: methodRestored,
};

export default head;
