import type { BuildResult, Plugin } from 'esbuild';

/** Builds the service's dist/service.cjs into `outdir`, with `plugins` first. */
export function buildService(outdir: string, plugins?: readonly Plugin[]): Promise<BuildResult>;
