import { execFileSync } from 'node:child_process';

/** The manifest inside a packed tarball. */
export interface PackedManifest {
  readonly peerDependencies?: Record<string, string>;
  readonly exports?: Record<string, string | Record<string, string>>;
  readonly typesVersions?: Record<string, Record<string, string[]>>;
  readonly [field: string]: unknown;
}

function entries(tarball: string): string[] {
  return execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
}

export function readPackedManifest(tarball: string): PackedManifest {
  return JSON.parse(
    execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' }),
  ) as PackedManifest;
}

/** What a published tarball must never hold: the demo, dev helpers, tests, bench, source maps. */
const NOT_LIBRARY = [
  /(^|\/)demo\//,
  /^dist\/src\/main\./,
  /(^|\/)dev\//,
  /\.spec\./,
  /(^|\/)(test|bench)\//,
  /^dist\/src\/sandbox\/main\./,
  /\.ts$(?<!\.d\.ts)/,
];

/** Each check's name and, when it fails, why. */
export function checkTarball(tarball: string): [string, string | undefined][] {
  const files = entries(tarball);
  const manifest = readPackedManifest(tarball);
  const targets = [
    ...Object.values(manifest.exports ?? {}).flatMap((t) =>
      typeof t === 'string' ? [t] : Object.values(t),
    ),
    ...Object.values(manifest.typesVersions ?? {}).flatMap((map) => Object.values(map).flat()),
  ].map((target) => target.replace(/^\.\//, ''));
  const stray = files.filter((file) => NOT_LIBRARY.some((pattern) => pattern.test(file)));
  const maps = files.filter((file) => file.endsWith('.map'));
  const missing = targets.filter((target) => !files.includes(target));
  const repoOnly = ['scripts', 'devDependencies', 'allowScripts'].filter((f) => f in manifest);
  return [
    [
      'holds the library only (no demo, main, dev helpers, tests, bench)',
      stray.length ? `found ${stray.slice(0, 5).join(', ')}` : undefined,
    ],
    ['ships no source maps', maps.length ? `${maps.length} .map files` : undefined],
    [
      'every exports and typesVersions target is in it',
      missing.length ? `missing ${missing.join(', ')}` : undefined,
    ],
    [
      'its package.json has no repository scripts',
      repoOnly.length ? `has ${repoOnly.join(', ')}` : undefined,
    ],
    [
      'holds the migrations',
      files.some((f) => /^dist\/migrations\/\d+-.*\.js$/.test(f)) ? undefined : 'none',
    ],
  ];
}
