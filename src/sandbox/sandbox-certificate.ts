import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A self-signed certificate and its private key, PEM-encoded. */
export interface SandboxCertificate {
  certPem: string;
  keyPem: string;
}

/**
 * Generates a fresh self-signed certificate for `localhost` and `127.0.0.1` with the system
 * `openssl` (valid 2 days). The files live in a private temp dir that is removed once read, so the
 * key never outlives the sandbox on disk.
 */
export async function generateSandboxCertificate(): Promise<SandboxCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'sfs-sandbox-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await run(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { timeout: 30000 },
    );
    const [certPem, keyPem] = await Promise.all([
      readFile(certFile, 'utf8'),
      readFile(keyFile, 'utf8'),
    ]);
    return { certPem, keyPem };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
