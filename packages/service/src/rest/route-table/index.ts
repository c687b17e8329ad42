import type { Concern } from '../concern.js';
import routeTable from './plugin.js';

/** Every path's methods and declared headers, for 405s, `Allow`, HEAD and preflights. */
const routes: Concern = {
  plugin: routeTable,
};

export default routes;
