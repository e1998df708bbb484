import fc from 'fast-check';

/**
 * Run parameters of a property test: `numRuns`, and a random seed unless `FC_SEED` (with `FC_PATH`)
 * is set. A failure prints its seed and path; `FC_SEED=<seed> FC_PATH=<path> npx jest <file>`
 * replays exactly that counterexample.
 */
export function fuzzRuns<T>(numRuns: number): fc.Parameters<T> {
  const seed = process.env.FC_SEED;
  if (seed === undefined || seed === '') return { numRuns };
  return { numRuns, seed: Number(seed), path: process.env.FC_PATH || undefined };
}

/** Any text: ASCII, full Unicode (lone surrogates included) or control characters. */
export function anyText(maxLength = 40): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({
      unit: fc.constantFrom('\u0000', '\n', '\t', '\u00ff', '\ud800', '%', ' '),
      maxLength,
    }),
  );
}

/** Values of every JavaScript type a host or a parser could hand over where a string was expected. */
export function anyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    anyText(),
    fc.constantFrom(undefined, null, true, false, 0, -0, 1, -1, NaN, Infinity, -Infinity),
    fc.integer(),
    fc.double(),
    fc.bigInt(),
    fc.date({ noInvalidDate: false }),
    fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBoxedValues: true,
      withTypedArray: true,
      withSparseArray: true,
    }),
  );
}
