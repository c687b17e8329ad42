// The workspaces that are simple-rest modules: those whose package.json has the keyword
// simple-rest-module. The bundle and the OpenAPI document both take their module list from here.
import { readFileSync } from 'node:fs';

const readManifest = (directory) => JSON.parse(readFileSync(`${directory}/package.json`, 'utf8'));

export function moduleWorkspaces(root = '.') {
  return readManifest(root)
    .workspaces.map((directory) => ({ directory, name: readManifest(`${root}/${directory}`).name }))
    .filter(({ directory }) => readManifest(`${root}/${directory}`).keywords?.includes('simple-rest-module'));
}
