/**
 * Loads an optional peer dependency from the host's node_modules: the package, or `undefined`
 * when the host does not have it. Any other failure (a broken install) is thrown.
 */
export function loadOptionalPeer<T>(
  name: string,
  load: (name: string) => unknown = (n) => require(n), // eslint-disable-line @typescript-eslint/no-require-imports
): T | undefined {
  // Only its absence is expected; a broken install (another module missing) must fail loudly.
  try {
    return load(name) as T;
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (
      code === 'MODULE_NOT_FOUND' &&
      typeof message === 'string' &&
      message.includes(`'${name}'`)
    ) {
      return undefined;
    }
    throw error;
  }
}
