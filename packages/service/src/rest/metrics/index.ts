import type { Concern } from '../concern.js';
import routeMetrics from './plugin.js';

/** Prometheus metrics: each route's request durations, and the process's own. */
const metrics: Concern = {
  plugin: routeMetrics,
};

export default metrics;
