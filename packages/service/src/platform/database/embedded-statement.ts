import type { PGlite } from '@electric-sql/pglite';
import { LRUCache } from 'lru-cache';

/** One statement with parameters, as PGlite's query() runs it, in one trip into the database instead of six. */
export type EmbeddedStatement = <Row>(schema: string, sql: string, params: readonly unknown[]) => Promise<Row[]>;

/**
 * Runs a statement in one protocol round trip: Parse, Bind, Describe, Execute and Sync in one
 * message. PGlite's query() sends them one by one (and asks for the parameter types each time),
 * which costs a third of a notes GET's CPU. The parameter types are asked once per statement and
 * schema, only to pick each value's serializer (a uuid[] is written as an array literal); the
 * database still infers them itself on every Parse, so a migrated column is never stale here.
 * PGlite is loaded here, not imported above: an installation without it (the image) must start.
 */
export async function embeddedStatement(db: PGlite): Promise<EmbeddedStatement> {
  const { parse, protocol } = await import('@electric-sql/pglite');
  const { serialize } = protocol;
  const parameterTypes = new LRUCache<string, number[]>({ max: 1000 });
  /** Asks the database for the statement's parameter types, and keeps them. */
  const describe = async (key: string, sql: string): Promise<number[]> => {
    const described = await db.execProtocolStream(
      message([serialize.parse({ text: sql }), serialize.describe({ type: 'S' }), serialize.sync()]),
    );
    const types = parse.parseDescribeStatementResults(described);
    parameterTypes.set(key, types);
    return types;
  };
  return async <Row>(schema: string, sql: string, params: readonly unknown[]) => {
    const key = `${schema}\0${sql}`;
    const types = params.length === 0 ? [] : (parameterTypes.get(key) ?? (await describe(key, sql)));
    const values = params.map((value, index) => {
      if (value === null || value === undefined) return null;
      const serializer = db.serializers[types[index] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    const messages = await db.execProtocolStream(
      message([
        serialize.parse({ text: sql }),
        serialize.bind({ values }),
        serialize.describe({ type: 'P' }),
        serialize.execute({}),
        serialize.sync(),
      ]),
    );
    return (parse.parseResults(messages, db.parsers)[0]?.rows ?? []) as Row[];
  };
}

function message(parts: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.length;
  }
  return whole;
}
