import type { RestModule, SettingsSpec } from '@simple-rest/module-contract';
import { allowedValues } from './config/environment.js';
import { SERVICE_SETTINGS } from './config/service-settings.js';

type Row = readonly string[];

const code = (value: unknown) => `\`${String(value)}\``;

/** One setting: its name, default, allowed values and meaning, and whether its value is secret. */
interface SettingRow {
  readonly name: string;
  readonly byDefault: string;
  readonly allowedAndMeaning: string;
  readonly secret: boolean;
}

/** The service's settings, then each module's (once, however often it is mounted). */
function settingRows(modules: readonly RestModule[]): SettingRow[] {
  // The service's own say what they allow in their description, for a table that reads well.
  const own = Object.entries(SERVICE_SETTINGS as SettingsSpec).map(
    ([name, setting]): SettingRow => ({
      name,
      byDefault: setting.default !== undefined ? code(setting.default) : '(unset)',
      allowedAndMeaning: setting.description,
      secret: setting.secret === true,
    }),
  );
  const theirs = [...new Set(modules)].flatMap((module) =>
    Object.entries(module.settings ?? {}).map(([name, setting]): SettingRow => {
      const byDefault =
        setting.default !== undefined ? code(setting.default) : setting.required ? '(required)' : '(unset)';
      const secret = setting.secret ? ', secret: never logged or shown' : '';
      return {
        name,
        byDefault,
        allowedAndMeaning: `${allowedValues(setting)}: ${setting.description} (${code(module.name)}${secret})`,
        secret: setting.secret === true,
      };
    }),
  );
  return [...own, ...theirs];
}

/** What a setting is set to in `env`, as `npm run settings` shows it: a secret only as set or unset. */
export function currentValue(row: Pick<SettingRow, 'name' | 'secret'>, env: NodeJS.ProcessEnv): string {
  const value = env[row.name];
  if (value === undefined) return '(default)';
  if (row.secret) return 'set';
  return code(value);
}

/**
 * Every setting the service reads with these modules mounted, as the README's Markdown table,
 * its columns padded as a Markdown formatter pads them. With `env`, a column `now` shows what
 * each is set to there.
 */
export function settingsTable(modules: readonly RestModule[], env?: NodeJS.ProcessEnv): string {
  const header: Row =
    env === undefined
      ? ['variable', 'default', 'allowed and meaning']
      : ['variable', 'now', 'default', 'allowed and meaning'];
  const rows = [
    header,
    ...settingRows(modules).map(
      (row): Row =>
        env === undefined
          ? [code(row.name), row.byDefault, row.allowedAndMeaning]
          : [code(row.name), currentValue(row, env), row.byDefault, row.allowedAndMeaning],
    ),
  ];
  const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.slice(1).map(line)].join('\n');
}
