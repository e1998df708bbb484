import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** `version (1) | iv (12) | tag (16)`, then the data. */
export const SFS_AEAD_HEADER_BYTES = 1 + IV_BYTES + TAG_BYTES;

/**
 * Additional data: a label, the format version, then each part length-prefixed (u32be), so
 * ('ab','c') and ('a','bc') never encode alike.
 */
export function sfsAdditionalData(label: string, version: number, parts: string[]): Buffer {
  const chunks: Buffer[] = [Buffer.from(label, 'utf8'), Buffer.of(version)];
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    chunks.push(length, bytes);
  }
  return Buffer.concat(chunks);
}

/** AES-256-GCM with a fresh random IV; layout `version | iv | tag | data`. */
export function sfsAeadSeal(version: number, key: Buffer, aad: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.of(version), iv, cipher.getAuthTag(), data]);
}

/**
 * Opens what {@link sfsAeadSeal} wrote. Throws (a plain error, never naming material) when the
 * layout is short or authentication fails; the caller checks the version byte first.
 */
export function sfsAeadOpen(key: Buffer, sealed: Buffer, aad: Buffer): Buffer {
  if (sealed.length < SFS_AEAD_HEADER_BYTES) throw new Error('too short');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 1 + IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(1 + IV_BYTES, SFS_AEAD_HEADER_BYTES));
  return Buffer.concat([decipher.update(sealed.subarray(SFS_AEAD_HEADER_BYTES)), decipher.final()]);
}
