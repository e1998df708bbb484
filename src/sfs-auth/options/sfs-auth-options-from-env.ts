import { SFS_OPTION_TABLE, sfsSetValueAt } from './option-table';
import type { SfsAuthModuleOptions } from './sfs-auth-options.interface';

/**
 * Anything that reads configuration by name: `@nestjs/config`'s `ConfigService`, or a plain record.
 *
 * @inline
 */
export type SfsEnvSource =
  { get(key: string): unknown } | Readonly<Record<string, string | undefined>>;

function reader(source: SfsEnvSource): (key: string) => string | undefined {
  const get =
    typeof (source as { get?: unknown }).get === 'function'
      ? (key: string) => (source as { get(key: string): unknown }).get(key)
      : (key: string) => (source as Record<string, string | undefined>)[key];
  return (key) => {
    const value = get(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
}

/** How a variable's text becomes the option's value, when not as it is. */
const FROM_TEXT: Readonly<Record<string, (text: string) => string>> = {
  // One-line env files (and CI secrets) often carry a PEM with its newlines escaped.
  SFS_CA_PEM: (text) => text.replace(/\\n/g, '\n'),
};

/**
 * Maps the environment variables of the configuration table in `docs/configuration.md` (the rows of
 * `SFS_OPTION_TABLE` that name one) to module options. Values are passed through as strings;
 * `resolveSfsAuthOptions` validates them at boot.
 *
 * @group Options
 * @publicApi
 */
export function sfsAuthOptionsFromEnv(source: SfsEnvSource): SfsAuthModuleOptions {
  const env = reader(source);
  const options: Record<string, unknown> = {};
  for (const row of SFS_OPTION_TABLE) {
    if (!row.env) continue;
    const text = env(row.env);
    const convert = FROM_TEXT[row.env];
    sfsSetValueAt(options, row.path, text !== undefined && convert ? convert(text) : text);
  }
  return options as SfsAuthModuleOptions;
}
