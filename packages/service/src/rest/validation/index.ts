import type { Concern } from '../concern.js';
import requestBodies from './plugin.js';
import validators from './server-option.js';

/** Requests checked against their route's schemas, and bodies against its media types and the size limit. */
const validation: Concern = {
  serverOptions: validators,
  plugin: requestBodies,
};

export default validation;
