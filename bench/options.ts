// npm run bench's arguments, read and checked.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** One round of one second, one cold start, nothing written: CI's check that every server runs. */
  readonly smoke: boolean;
  readonly rounds: number;
  readonly durationS: number;
  readonly connections: number;
  readonly coldStarts: number;
  /** Only the servers whose name holds this (and the ceiling); `notes`, the notes series alone. */
  readonly only?: string;
  /** An image whose entry point is measured too. */
  readonly image?: string;
  /** Folders of earlier bundles measured too, for before and after in one run. */
  readonly compare: readonly string[];
}

function positiveInteger(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`--${name} takes a whole number of 1 or more, not "${value}"`);
  return number;
}

export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      smoke: { type: 'boolean', default: false },
      rounds: { type: 'string', default: '3' },
      duration: { type: 'string', default: '4' },
      connections: { type: 'string', default: '50' },
      'cold-starts': { type: 'string', default: '9' },
      only: { type: 'string' },
      image: { type: 'string' },
      compare: { type: 'string', multiple: true },
    },
  });
  const { smoke } = values;
  return {
    smoke,
    rounds: smoke ? 1 : positiveInteger('rounds', values.rounds),
    durationS: smoke ? 1 : positiveInteger('duration', values.duration),
    connections: positiveInteger('connections', values.connections),
    coldStarts: smoke ? 1 : positiveInteger('cold-starts', values['cold-starts']),
    ...(values.only !== undefined && { only: values.only }),
    ...(values.image !== undefined && { image: values.image }),
    compare: values.compare ?? [],
  };
}
