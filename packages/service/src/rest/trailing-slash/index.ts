import type { Concern } from '../concern.js';
import trailingSlash from './plugin.js';

/** A path without its trailing slash redirected to the route with one. */
const slashes: Concern = {
  plugin: trailingSlash,
};

export default slashes;
