import { readPackageIdentity } from '@simple-rest/module-contract';

/** The service's name and version, read from its package.json so they cannot drift. */
export const serviceInfo = readPackageIdentity(new URL('../package.json', import.meta.url));
