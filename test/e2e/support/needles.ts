/** A secret to look for, with a label that names it without showing it. */
export interface Needle {
  readonly label: string;
  readonly value: string;
}

/** A text to search, with where it came from. */
export interface Haystack {
  readonly where: string;
  readonly text: string;
}

/** `label in where` for every needle found in every haystack (empty: no secret anywhere). */
export function findNeedles(needles: readonly Needle[], haystacks: readonly Haystack[]): string[] {
  const hits: string[] = [];
  for (const haystack of haystacks) {
    for (const needle of needles) {
      if (needle.value.length > 0 && haystack.text.includes(needle.value)) {
        hits.push(`${needle.label} in ${haystack.where}`);
      }
    }
  }
  return hits;
}

/** The tokens a sandbox issued (platform and client), as needles. */
export function tokenNeedles(tokens: ReadonlyArray<{ token: string; kind: string }>): Needle[] {
  return tokens.map((t, i) => ({ label: `${t.kind} token #${i + 1}`, value: t.token }));
}
