import fc from 'fast-check';

/**
 * fc.assert for node:test, with a failure that says how to replay it. fast-check draws a fresh
 * seed on every run; FC_SEED and FC_PATH (from a failure's message) replay that one case.
 */
export async function assertProperty<Ts>(
  testName: string,
  property: fc.IRawProperty<Ts>,
  parameters: fc.Parameters<Ts> = {},
): Promise<void> {
  const details = await fc.check(property, { includeErrorInReport: true, ...parameters, ...replayParameters() });
  if (!details.failed) return;
  const replay = [
    `FC_SEED=${details.seed}`,
    `FC_PATH=${details.counterexamplePath ?? ''}`,
    'node --conditions=source --import tsx --test',
    `--test-name-pattern=${JSON.stringify(escapeRegExp(testName))}`,
    process.argv[1] ?? '<this test file>',
  ].join(' ');
  throw new Error(`${fc.defaultReportMessage(details)}\n\nReplay this failure with:\n  ${replay}`, {
    cause: details.errorInstance,
  });
}

function replayParameters(): { seed?: number; path?: string } {
  const seed = process.env.FC_SEED;
  const path = process.env.FC_PATH;
  return {
    ...(seed !== undefined && seed !== '' && { seed: Number(seed) }),
    ...(path !== undefined && path !== '' && { path }),
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
