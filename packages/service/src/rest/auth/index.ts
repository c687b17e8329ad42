import type { Concern } from '../concern.js';
import authentication from './plugin.js';

/** Bearer tokens on the routes that declare scopes. */
const auth: Concern = {
  plugin: authentication,
};

export default auth;
