import { fileURLToPath } from 'node:url';
import { lintFromString, loadConfig } from '@redocly/openapi-core';

/** The rules every simple-rest document is held to: Redocly's recommended set, less the contract's trailing slash. */
export const REDOCLY_CONFIG = fileURLToPath(new URL('../redocly.yaml', import.meta.url));

/** Each error and warning Redocly finds in an OpenAPI document, as `rule at location: message`. */
export async function lintOpenApi(document: unknown): Promise<string[]> {
  const config = await loadConfig({ configPath: REDOCLY_CONFIG });
  const problems = await lintFromString({ source: JSON.stringify(document), absoluteRef: 'openapi.json', config });
  return problems.map(
    (problem) => `${problem.severity} ${problem.ruleId} at ${problem.location[0]?.pointer ?? '?'}: ${problem.message}`,
  );
}
