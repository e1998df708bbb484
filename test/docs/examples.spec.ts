import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeInstallLine } from '../hosts/host-specs';
import { codeBlocks, readPage, ROOT } from '../support/markdown';

/** examples/ (run by the host test on the packed tarball) shows what the README shows. */
const EXAMPLES = ['express-host', 'fastify-host'] as const;

const readme = readPage('README.md');
const blocks = codeBlocks(readme).filter((block) => block.lang === 'ts');
const source = (example: string, file: string) =>
  readFileSync(join(ROOT, 'examples', example, file), 'utf8');

function readmeBlock(holding: string): string[] {
  const block = blocks.find((candidate) => candidate.body.includes(holding));
  if (!block) throw new Error(`README.md has no ts block with ${holding}`);
  return block.body.split('\n');
}

/** Whether `lines` appear in `text` one after another, in order. */
function holdsInOrder(text: string, lines: string[]): boolean {
  return text.includes(lines.join('\n'));
}

describe('examples/', () => {
  const wiring = readmeBlock('export class AppModule');
  const imports = wiring.filter((line) => line.startsWith('import '));
  const module = wiring.slice(wiring.indexOf('@Module({'), wiring.lastIndexOf('  ],') + 1);

  it('reads the README blocks it compares against', () => {
    expect(imports.length).toBeGreaterThanOrEqual(5);
    expect(module[0]).toBe('@Module({');
    expect(module.some((line) => line.includes('SfsAuthModule.forRootAsync({'))).toBe(true);
  });

  it.each(EXAMPLES)("%s wires the module line for line as the README's Wiring", (example) => {
    const appModule = source(example, 'src/app.module.ts');
    expect(imports.filter((line) => !appModule.includes(line))).toEqual([]);
    expect(holdsInOrder(appModule, module)).toBe(true);
    expect(appModule).toMatch(/export class AppModule \{\}\n$/);
  });

  it.each(EXAMPLES)("%s's service is the README's ContractsService", (example) => {
    const service = readmeBlock('export class ContractsService').join('\n');
    expect(source(example, 'src/contracts.service.ts')).toBe(`${service}\n`);
  });

  it('the two examples differ only in main.ts and the platform package', () => {
    for (const file of [
      'src/app.module.ts',
      'src/contracts.service.ts',
      'src/contracts.controller.ts',
      'tsconfig.json',
    ]) {
      expect([file, source('fastify-host', file)]).toEqual([file, source('express-host', file)]);
    }
    const manifest = (example: string) =>
      source(example, 'package.json').replace(new RegExp(example.replace('-host', ''), 'g'), 'X');
    expect(manifest('fastify-host')).toBe(manifest('express-host'));
  });

  it("each main.ts starts the app as the README's onExpress / onFastify, with shutdown hooks", () => {
    const express = source('express-host', 'src/main.ts');
    expect(express).toContain('NestFactory.create(AppModule)');
    const onFastify = readmeBlock('new FastifyAdapter(');
    const adapter = onFastify.slice(
      onFastify.findIndex((line) => line.includes('NestFactory.create<NestFastifyApplication>(')),
      onFastify.findIndex((line) => line.includes('new FastifyAdapter(')) + 2,
    );
    expect(adapter.length).toBe(5);
    expect(holdsInOrder(source('fastify-host', 'src/main.ts'), adapter)).toBe(true);
    for (const example of EXAMPLES) {
      expect(source(example, 'src/main.ts')).toContain('app.enableShutdownHooks();');
    }
  });

  it.each(EXAMPLES)(
    "%s depends on the packed tarball and on the README's NestJS 12 install line",
    (example) => {
      const { dependencies } = JSON.parse(source(example, 'package.json')) as {
        dependencies: Record<string, string>;
      };
      expect(dependencies['nestjs-sfs-auth']).toBe('file:../nestjs-sfs-auth.tgz');
      const missing = readmeInstallLine(readme, 12)
        .map((spec) => /^(@?[^@]+)(?:@(.*))?$/.exec(spec) as RegExpExecArray)
        .filter(([, name, range]) => {
          const have = dependencies[name];
          return !have || (range !== undefined && !have.startsWith(range));
        })
        .map(([spec]) => spec);
      expect(missing).toEqual([]);
      expect(dependencies[`@nestjs/platform-${example.replace('-host', '')}`]).toMatch(/^\^12\./);
    },
  );
});
