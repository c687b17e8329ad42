// Prints every setting the service reads with the modules MODULES names, as a Markdown table:
// `npm run settings`, or `MODULES=… npm run settings`.
import { ConfigError, loadConfig } from './config.js';
import { loadModules } from './modules.js';
import { settingsTable } from './settings-table.js';

try {
  const modules = await loadModules(loadConfig(process.env).modules);
  process.stdout.write(`${settingsTable(modules.map(({ module }) => module))}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
