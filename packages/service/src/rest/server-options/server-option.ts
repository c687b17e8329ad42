import type { FastifyServerOptions } from 'fastify';
import type { Settings, SocketTimeouts } from '../../config.js';
import type { Step } from '../steps/step.js';

/** What the server's options may depend on. */
export interface ServerOptionSettings extends Pick<Settings, 'accessLog' | 'bodyLimitBytes'> {
  readonly timeouts: SocketTimeouts;
  /** Every answer's steps (steps/), which answers given before routing need too. */
  readonly steps: readonly Step[];
}

/**
 * One concern's options of the Fastify constructor: what must be decided before there is an app
 * (how request ids are made, how errors before routing are answered, …). A file in this folder
 * default-exports one; server-options/index.ts merges them.
 */
export type ServerOption = (settings: ServerOptionSettings) => Partial<FastifyServerOptions>;
