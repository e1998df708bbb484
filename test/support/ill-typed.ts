/**
 * `value` typed as `T` on purpose: what a JavaScript caller, a bad configuration or a partial fake
 * hands the module where the types say otherwise. One place for the cast, named for its intent.
 */
export function illTyped<T>(value: unknown): T {
  return value as T;
}
