import { randomInt } from 'node:crypto';
import createError from '@fastify/error';
import { textResponses } from '@simple-rest/module-contract';
import type { FastifyPluginAsync } from 'fastify';
import { describeRoll, InvalidNotationError, parseNotation, roll, type Thrower } from '../core/dice.js';

const InvalidNotation = createError('DICE_INVALID_NOTATION', '%s', 400);

const fairDie: Thrower = (sides) => randomInt(1, sides + 1);

/** The dice routes: a fair die, unless the registering code passes its own (tests do). */
export const diceRoutes: FastifyPluginAsync<{ throwDie?: Thrower }> = async (app, { throwDie = fairDie }) => {
  app.get(
    '/',
    { schema: { summary: 'Roll one six-sided die', response: textResponses('`1d6: <face> = <face>`') } },
    async () => describeRoll(roll({ count: 1, sides: 6 }, throwDie)),
  );
  app.get<{ Params: { notation: string } }>(
    '/:notation/',
    {
      schema: {
        summary: 'Roll dice in NdM notation, such as 3d6',
        params: {
          type: 'object',
          // examples: what the conformance kit rolls.
          properties: { notation: { type: 'string', maxLength: 12, examples: ['3d6', '1d2'] } },
          required: ['notation'],
        },
        response: textResponses('`3d6: 4 + 2 + 6 = 12`'),
      },
    },
    async (request) => {
      try {
        return describeRoll(roll(parseNotation(request.params.notation), throwDie));
      } catch (error) {
        if (error instanceof InvalidNotationError) throw new InvalidNotation(error.message);
        throw error;
      }
    },
  );
};
