// `npm run settings`: checks the environment as the service would at start (its own settings and
// those of every module MODULES names), exiting 1 with the service's one-line error when a value
// is not allowed; then prints every setting as a Markdown table with what each is set to now
// (a secret only as set). `-- --defaults` prints the README's table: defaults only.
import { ConfigError, loadConfig } from './config/index.js';
import { resolveModules } from './modules.js';
import { settingsTable } from './settings-table.js';

try {
  const modules = await resolveModules(loadConfig(process.env).modules, process.env);
  const defaultsOnly = process.argv.includes('--defaults');
  const table = settingsTable(
    modules.map(({ module }) => module),
    defaultsOnly ? undefined : process.env,
  );
  process.stdout.write(`${table}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
