/** Values that must never be printed, each replaced by its mask wherever it appears in a text. */
export class SfsSecretMask {
  private readonly masks = new Map<string, string>();

  /** Masks `value` from now on (values shorter than 4 characters are ignored: too common). */
  add(value: string | undefined, mask = '***'): void {
    if (value && value.length >= 4) this.masks.set(value, mask);
  }

  /** `text` with every known secret replaced, longest first (a secret may contain another). */
  redact(text: string): string {
    let out = text;
    for (const [value, mask] of [...this.masks].sort((a, b) => b[0].length - a[0].length)) {
      out = out.split(value).join(mask);
    }
    return out;
  }
}

/** Variables whose whole value is secret. */
const SECRET_VARIABLES = ['SFS_SECRET', 'SFS_ENCRYPTION_KEYS', 'SFS_ADMIN_KEYS'];
/** Variables holding a PostgreSQL URL, whose password is secret. */
const DATABASE_URL_VARIABLES = ['DATABASE_URL', 'SFS_LISTEN_DATABASE_URL'];

/**
 * The secrets of an environment read by the command line (the variables of
 * `sfsAuthOptionsFromEnv` and the database URLs): the SFS secret, every encryption and admin key,
 * the database passwords; the API key shows as its first four characters.
 */
export function sfsEnvSecretMask(env: Readonly<Record<string, string | undefined>>): SfsSecretMask {
  const mask = new SfsSecretMask();
  for (const name of SECRET_VARIABLES) mask.add(env[name]);
  for (const part of (env.SFS_ENCRYPTION_KEYS ?? '').split(',')) mask.add(part.split(':')[1]);
  for (const part of (env.SFS_ADMIN_KEYS ?? '').split(',')) mask.add(part.split('=')[1]);
  mask.add(env.SFS_API_KEY, `${(env.SFS_API_KEY ?? '').slice(0, 4)}…`);
  for (const name of DATABASE_URL_VARIABLES) {
    const password = passwordOf(env[name]);
    mask.add(password && decodeURIComponent(password));
  }
  return mask;
}

function passwordOf(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).password : undefined;
  } catch {
    return undefined;
  }
}
