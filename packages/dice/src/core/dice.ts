/** How many dice of how many sides, as in the `NdM` notation of tabletop games. */
export interface DiceSpec {
  readonly count: number;
  readonly sides: number;
}

export interface Roll extends DiceSpec {
  readonly faces: readonly number[];
  readonly total: number;
}

const MAX_DICE = 100;
const MAX_SIDES = 1000;
const NOTATION = /^([1-9][0-9]{0,3})d([1-9][0-9]{0,4})$/;

/** A die's throw: a whole number from 1 to `sides`. */
export type Thrower = (sides: number) => number;

export class InvalidNotationError extends Error {
  override name = 'InvalidNotationError';
}

/** Reads `NdM` (1 ≤ N ≤ 100 dice, 2 ≤ M ≤ 1000 sides); throws InvalidNotationError otherwise. */
export function parseNotation(notation: string): DiceSpec {
  const match = NOTATION.exec(notation);
  const count = Number(match?.[1]);
  const sides = Number(match?.[2]);
  if (!match || count > MAX_DICE || sides < 2 || sides > MAX_SIDES) {
    throw new InvalidNotationError(
      `"${notation}" is not dice notation: expected NdM with 1 to ${MAX_DICE} dice of 2 to ${MAX_SIDES} sides, such as 3d6`,
    );
  }
  return { count, sides };
}

export function roll(spec: DiceSpec, throwDie: Thrower): Roll {
  const faces = Array.from({ length: spec.count }, () => throwDie(spec.sides));
  return { ...spec, faces, total: faces.reduce((sum, face) => sum + face, 0) };
}

/** `3d6: 4 + 2 + 6 = 12` */
export function describeRoll({ count, sides, faces, total }: Roll): string {
  return `${count}d${sides}: ${faces.join(' + ')} = ${total}`;
}
