import { readFileSync } from 'node:fs';

const manifest: { name: string; version: string } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
);

/** The service's name and version, read from its package.json so they cannot drift. */
export const serviceInfo = { name: manifest.name, version: manifest.version } as const;
