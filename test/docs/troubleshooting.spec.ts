import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { proseLines, readPage, ROOT } from '../support/markdown';

const ERRORS = 'src/sfs-auth/errors/sfs-auth.error.ts';

/** The string literals of the `SfsAuthErrorCode` union, read from the source with the compiler. */
function errorCodes(): string[] {
  const source = ts.createSourceFile(
    ERRORS,
    readFileSync(join(ROOT, ERRORS), 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
  );
  const alias = source.statements.find(
    (node): node is ts.TypeAliasDeclaration =>
      ts.isTypeAliasDeclaration(node) && node.name.text === 'SfsAuthErrorCode',
  );
  if (!alias || !ts.isUnionTypeNode(alias.type))
    throw new Error(`no SfsAuthErrorCode union in ${ERRORS}`);
  return alias.type.types.map((member) => {
    if (!ts.isLiteralTypeNode(member) || !ts.isStringLiteral(member.literal)) {
      throw new Error(
        `SfsAuthErrorCode has a member that is not a string literal: ${member.getText()}`,
      );
    }
    return member.literal.text;
  });
}

/** The entries of the page's "Error codes" section: `### \`CODE\`` and the text up to the next heading. */
function entries(page: string): Map<string, string> {
  const found = new Map<string, string>();
  let inSection = false;
  let current: string | undefined;
  for (const { text } of proseLines(page)) {
    if (/^## /.test(text)) {
      inSection = text === '## Error codes';
      current = undefined;
      continue;
    }
    if (!inSection) continue;
    const heading = /^### `?([A-Z0-9_]+)`?\s*$/.exec(text);
    if (heading) {
      current = heading[1];
      if (found.has(current)) throw new Error(`two entries for ${current}`);
      found.set(current, '');
    } else if (/^###/.test(text)) {
      current = undefined;
    } else if (current) {
      found.set(current, `${found.get(current)}${text}\n`);
    }
  }
  return found;
}

describe('docs/troubleshooting.md covers the error family', () => {
  const codes = errorCodes();
  const page = entries(readPage('docs/troubleshooting.md'));

  it(`reads the codes from ${ERRORS}`, () => {
    expect(codes.length).toBeGreaterThan(10);
    expect(codes).toContain('CONFIG_INVALID');
  });

  it('has an entry for every code of SfsAuthErrorCode', () => {
    expect(codes.filter((code) => !page.has(code))).toEqual([]);
  });

  it('has no entry for a code the module does not have', () => {
    expect([...page.keys()].filter((code) => !codes.includes(code))).toEqual([]);
  });

  it.each(codes)('%s: says what it means and what to do', (code) => {
    const entry = page.get(code) ?? '';
    expect(entry).toMatch(/\*\*Meaning\.\*\* \S/);
    expect(entry).toMatch(/\*\*What to do\.\*\* \S/);
    expect(entry).toMatch(/retryable/i);
  });
});
