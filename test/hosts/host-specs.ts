import type { PackedManifest } from './tarball-checks';

/** One fresh host app to generate: what `nest new` gives it, then the README's install line. */
export interface HostSpec {
  readonly name: string;
  /** Runtime packages of a fresh `nest new` project of that major. */
  readonly base: string[];
  readonly baseDev: string[];
  /** The README's install line for that major (`nestjs-sfs-auth` stands for the tarball). */
  readonly install: string[];
  /** The HTTP platform the host app is created on (`HOST_PLATFORM`). */
  readonly platform: 'express' | 'fastify';
}

/** `npm i nestjs-sfs-auth ...` under a `# NestJS <major>` comment in the README. */
export function readmeInstallLine(readme: string, major: number): string[] {
  const match = new RegExp(
    `^# NestJS ${major}\\b[^\\n]*\\n(npm i nestjs-sfs-auth [^\\n]+)$`,
    'm',
  ).exec(readme);
  if (!match) throw new Error(`README.md has no install line for NestJS ${major}`);
  return match[1].trim().split(/\s+/).slice(2);
}

/** The lowest version a peer range allows for `major`'s alternative, e.g. `^3.0.0 || ^12.0.0` → `3.0.0`. */
export function lowerBound(range: string, index: number): string {
  const alternatives = range.split('||').map((part) => part.trim().replace(/^[\^~>=]+/, ''));
  return alternatives[Math.min(index, alternatives.length - 1)];
}

const TOOLING = ['typescript@~5.9.3', '@types/node@^20.19.0'];

/**
 * NestJS 12: the latest of everything, as a new user gets it today, on Express and on Fastify.
 * NestJS 11: every package named
 * by the README (and the fresh host's own Nest packages) at the lower bound of its peer range.
 */
export function hostSpecs(readme: string, manifest: PackedManifest): HostSpec[] {
  const peers = manifest.peerDependencies ?? {};
  const atLowerBound = (spec: string) => {
    const name = spec.replace(/(.)@.*$/, '$1');
    return peers[name] ? `${name}@~${lowerBound(peers[name], 0)}` : spec;
  };
  return [
    {
      name: 'nest12',
      base: [
        '@nestjs/common@^12',
        '@nestjs/core@^12',
        '@nestjs/platform-express@^12',
        'reflect-metadata@^0.2',
        'rxjs@^7.8',
      ],
      baseDev: TOOLING,
      install: readmeInstallLine(readme, 12),
      platform: 'express',
    },
    {
      name: 'nest12_fastify',
      base: [
        '@nestjs/common@^12',
        '@nestjs/core@^12',
        '@nestjs/platform-fastify@^12',
        'reflect-metadata@^0.2',
        'rxjs@^7.8',
      ],
      baseDev: TOOLING,
      install: readmeInstallLine(readme, 12),
      platform: 'fastify',
    },
    {
      name: 'nest11',
      base: ['@nestjs/common', '@nestjs/core', 'reflect-metadata', 'rxjs']
        .map(atLowerBound)
        .concat(`@nestjs/platform-express@~${lowerBound(peers['@nestjs/core'] ?? '11.0.0', 0)}`),
      baseDev: TOOLING,
      install: readmeInstallLine(readme, 11).map((spec) =>
        spec === 'nestjs-sfs-auth' ? spec : atLowerBound(spec),
      ),
      platform: 'express',
    },
  ];
}
