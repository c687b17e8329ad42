import type { Concern } from '../concern.js';
import problemAnswers from './plugin.js';
import frameworkErrors from './server-option.js';

/** Every error as problem JSON (RFC 9457): the routes', the router's (404, 405) and those before routing. */
const errors: Concern = {
  serverOptions: frameworkErrors,
  plugin: problemAnswers,
};

export default errors;
