// What the notes tests share: a real PostgreSQL when one is installed.
import { type PostgresServer, startPostgres } from '@simple-rest/testing';

export const NO_POSTGRES = 'PostgreSQL is not installed: apt-get install postgresql to run this test';

/**
 * A PostgreSQL of the test's own (remove it when done); undefined where PostgreSQL is not
 * installed, for the test to skip with NO_POSTGRES, unless REQUIRE_POSTGRES=1 (CI): there it fails.
 */
export async function postgresIfInstalled(): Promise<PostgresServer | undefined> {
  const server = await startPostgres();
  if (server === undefined && process.env.REQUIRE_POSTGRES === '1') {
    throw new Error('PostgreSQL is not installed, and REQUIRE_POSTGRES=1 (apt-get install postgresql)');
  }
  return server;
}
