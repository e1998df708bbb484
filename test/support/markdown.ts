/**
 * Just enough Markdown (CommonMark + GitHub) to check the documentation pages: fenced code blocks,
 * ATX headings and their GitHub anchors, and the relative links outside code.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** The pages checked: the README, the changelog and every page of `docs/`, relative to the root. */
export function documentationPages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return [
    'README.md',
    ...(existsSync(join(ROOT, 'CHANGELOG.md')) ? ['CHANGELOG.md'] : []),
    ...docs,
    ...(existsSync(join(ROOT, 'examples/README.md')) ? ['examples/README.md'] : []),
  ];
}

export function readPage(page: string): string {
  return readFileSync(join(ROOT, page), 'utf8');
}

/** A fenced code block: its info string split into language and the rest, and its body. */
export interface CodeBlock {
  readonly lang: string;
  /** The words after the language, e.g. `['fragment']` or `['file=app.module.ts']`. */
  readonly attributes: string[];
  readonly body: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The previous non-blank line is `<!-- not-compiled -->`. */
  readonly markedNotCompiled: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** Every fenced code block of a page (an unclosed fence runs to the end, as CommonMark says). */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const [, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = FENCE.exec(lines[j]);
      if (close && close[1][0] === fence[0] && close[1].length >= fence.length && !close[2].trim())
        break;
      body.push(lines[j]);
    }
    const [lang = '', ...attributes] = info.trim().split(/\s+/).filter(Boolean);
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    blocks.push({
      lang: lang.toLowerCase(),
      attributes,
      body: body.join('\n'),
      line: i + 1,
      markedNotCompiled: k >= 0 && /^<!--\s*not-compiled\s*-->$/.test(lines[k].trim()),
    });
    i = j;
  }
  return blocks;
}

/** The page's lines outside fenced code blocks, each with its 1-based number. */
export function proseLines(markdown: string): Array<{ text: string; line: number }> {
  const lines = markdown.split('\n');
  const prose: Array<{ text: string; line: number }> = [];
  let fence: string | undefined;
  lines.forEach((text, index) => {
    const marker = FENCE.exec(text);
    if (fence === undefined) {
      if (marker) fence = marker[1];
      else prose.push({ text, line: index + 1 });
    } else if (
      marker &&
      marker[1][0] === fence[0] &&
      marker[1].length >= fence.length &&
      !marker[2].trim()
    ) {
      fence = undefined;
    }
  });
  return prose;
}

/** A line without its code spans (CommonMark: a run of N backticks closes at the next run of N). */
export function withoutCodeSpans(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] !== '`') {
      out += text[i++];
      continue;
    }
    let run = 0;
    while (text[i + run] === '`') run++;
    const ticks = '`'.repeat(run);
    let close = text.indexOf(ticks, i + run);
    while (close >= 0 && text[close + run] === '`') {
      let next = close;
      while (text[next] === '`') next++;
      close = text.indexOf(ticks, next);
    }
    if (close < 0) {
      out += ticks;
      i += run;
      continue;
    }
    out += ' ';
    i = close + run;
  }
  return out;
}

/** The code spans of a line, their content trimmed. */
export function codeSpans(text: string): string[] {
  const spans: string[] = [];
  const pattern = /(`+)([\s\S]*?[^`])\1(?!`)/g;
  for (const match of text.matchAll(pattern)) spans.push(match[2].trim());
  return spans;
}

/**
 * GitHub's anchor for a heading's text (github-slugger): the rendered text, lower-cased, every
 * character that is not a letter, a digit, a mark, `_`, `-` or a space dropped, spaces made `-`.
 */
export function githubSlug(heading: string): string {
  // Code spans render their content as is; the rest loses link syntax, HTML and emphasis marks.
  const rendered = heading
    .split(/(`+[^`]*`+)/)
    .map((part, index) =>
      index % 2 === 1
        ? part.replace(/^`+|`+$/g, '')
        : part
            .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
            .replace(/<[^>]+>/g, '')
            .replace(/(\*\*|__)(.+?)\1/g, '$2')
            .replace(/(^|\W)[*_](.+?)[*_](?=\W|$)/g, '$1$2'),
    )
    .join('');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a page offers: its headings' slugs (`-1`, `-2` for repeats) and HTML ids. */
export function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(text);
    if (heading) {
      const base = githubSlug(heading[1]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      found.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const html of text.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)="([^"]+)"/g)) found.add(html[1]);
  }
  return found;
}

/** A link or image target found in a page's prose. */
export interface Link {
  readonly target: string;
  readonly line: number;
}

/** Inline links and images, reference definitions and HTML `href`/`src`, outside code. */
export function links(markdown: string): Link[] {
  const found: Link[] = [];
  for (const { text, line } of proseLines(markdown)) {
    const prose = withoutCodeSpans(text);
    for (const match of prose.matchAll(
      /!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g,
    ))
      found.push({ target: match[1], line });
    const definition = /^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$/.exec(prose);
    if (definition) found.push({ target: definition[1], line });
    for (const match of prose.matchAll(/<(?:a|img)\s[^>]*(?:href|src)="([^"]+)"/g))
      found.push({ target: match[1], line });
  }
  return found;
}

/** Whether a link target leaves the repository (a scheme such as `https:` or `mailto:`). */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}
