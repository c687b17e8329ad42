import type { RestModule } from '@simple-rest/module-contract';
import { configSchema } from './config.js';
import { allowedValues } from './module-settings.js';

type Row = readonly [variable: string, byDefault: string, allowedAndMeaning: string];

const code = (value: unknown) => `\`${String(value)}\``;

/** The service's settings, then each module's (once, however often it is mounted), as table rows. */
function settingsRows(modules: readonly RestModule[]): Row[] {
  const own = Object.entries(configSchema.properties).map(
    ([name, property]): Row => [code(name), 'default' in property ? code(property.default) : '(unset)', property.doc],
  );
  const theirs = [...new Set(modules)].flatMap((module) =>
    Object.entries(module.settings ?? {}).map(([name, setting]): Row => {
      const byDefault =
        setting.default !== undefined ? code(setting.default) : setting.required ? '(required)' : '(unset)';
      const secret = setting.secret ? ', secret: never logged or shown' : '';
      return [
        code(name),
        byDefault,
        `${allowedValues(setting)}: ${setting.description} (${code(module.name)}${secret})`,
      ];
    }),
  );
  return [...own, ...theirs];
}

/**
 * Every setting the service reads with these modules mounted, as the README's Markdown table,
 * its columns padded as a Markdown formatter pads them.
 */
export function settingsTable(modules: readonly RestModule[]): string {
  const header: Row = ['variable', 'default', 'allowed and meaning'];
  const rows = [header, ...settingsRows(modules)];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n');
}
