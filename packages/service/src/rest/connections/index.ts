import type { Concern } from '../concern.js';
import socketTimeouts from './server-option.js';

/** How long a client may take, and how long an idle connection is kept. */
const connections: Concern = {
  serverOptions: socketTimeouts,
};

export default connections;
