import type { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyServerOptions } from 'fastify';

/** Nest's two HTTP platforms; the demo runs on either (`SFS_DEMO_PLATFORM`). */
export type DemoPlatform = 'express' | 'fastify';
export const DEMO_PLATFORMS: readonly DemoPlatform[] = ['express', 'fastify'];

/** `SFS_DEMO_PLATFORM` (`express` unless it says `fastify`). */
export function demoPlatformFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): DemoPlatform {
  const value = env.SFS_DEMO_PLATFORM?.trim().toLowerCase();
  if (value === undefined || value === '' || value === 'express') return 'express';
  if (value === 'fastify') return 'fastify';
  throw new Error(`SFS_DEMO_PLATFORM must be express or fastify, not ${JSON.stringify(value)}`);
}

const BAD_PATH = {
  statusCode: 400,
  code: 'INVALID_INPUT',
  message: 'path must be valid percent-encoded UTF-8',
  field: 'path',
};

/**
 * The demo host's HTTP adapter. What a Fastify host sets for the module (docs/wiring.md, "Fastify"):
 * parameters longer than 128 characters (identifiers are up to 128; Fastify's default is 100), and a path
 * that does not decode, which Fastify's router refuses before any route or filter, answered in
 * the admin error shape as the Express demo's edge filter does.
 */
export function createDemoAdapter(platform: DemoPlatform): AbstractHttpAdapter {
  if (platform === 'express') {
    const adapter = new ExpressAdapter();
    adapter.disable('x-powered-by');
    return adapter;
  }
  const frameworkErrors: NonNullable<FastifyServerOptions['frameworkErrors']> = (
    error,
    _request,
    reply,
  ) => {
    // Only client errors reach here by design; anything else still answers a 4xx, never a 5xx.
    const reported = error.statusCode ?? 400;
    const status =
      error.code === 'FST_ERR_BAD_URL' || reported < 400 || reported > 499 ? 400 : reported;
    const body =
      error.code === 'FST_ERR_BAD_URL'
        ? BAD_PATH
        : { statusCode: status, code: 'BAD_REQUEST', message: 'bad request' };
    const answer = reply as unknown as {
      code(status: number): typeof answer;
      header(name: string, value: string): typeof answer;
      send(body: unknown): unknown;
    };
    void answer.code(status).header('Cache-Control', 'no-store').send(body);
  };
  // Longer than any identifier, so a too-long one reaches the module's validation (400 naming it).
  return new FastifyAdapter({ routerOptions: { maxParamLength: 1024 }, frameworkErrors });
}
