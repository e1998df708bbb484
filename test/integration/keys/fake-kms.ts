import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type {
  SfsKeyWrapContext,
  SfsKeyWrapper,
  SfsWrappedKey,
} from '../../../src/sfs-auth/options/key-wrapper';

/**
 * An in-process stand-in for a cloud KMS (the shape of AWS KMS Encrypt/Decrypt): versioned master
 * keys that never leave it, an encryption context that must match on decrypt, key versions that
 * can be disabled, and a count of every call. Written without the module's crypto helpers.
 */
export class FakeKms {
  private readonly keys = new Map<string, Buffer>();
  private readonly disabled = new Set<string>();
  readonly calls = { encrypt: 0, decrypt: 0 };
  currentKeyId = '';

  constructor(private readonly name = 'arn:fake-kms:key/sfs') {
    this.rotate();
  }

  /** A new key version becomes current; older ones still decrypt until disabled. */
  rotate(): string {
    this.currentKeyId = `${this.name}/v${this.keys.size + 1}`;
    this.keys.set(this.currentKeyId, randomBytes(32));
    return this.currentKeyId;
  }

  disable(keyId: string): void {
    this.disabled.add(keyId);
  }

  encrypt(plaintext: Buffer, context: Record<string, string>): { keyId: string; blob: Buffer } {
    this.calls.encrypt++;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keys.get(this.currentKeyId)!, iv);
    cipher.setAAD(Buffer.from(JSON.stringify(context)));
    const data = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: this.currentKeyId, blob: Buffer.concat([iv, cipher.getAuthTag(), data]) };
  }

  decrypt(keyId: string, blob: Buffer, context: Record<string, string>): Buffer {
    this.calls.decrypt++;
    const key = this.keys.get(keyId);
    if (!key || this.disabled.has(keyId)) throw new Error(`KMS: key ${keyId} is not usable`);
    const decipher = createDecipheriv('aes-256-gcm', key, blob.subarray(0, 12));
    decipher.setAAD(Buffer.from(JSON.stringify(context)));
    decipher.setAuthTag(blob.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(blob.subarray(28)), decipher.final()]);
    } catch {
      throw new Error('KMS: InvalidCiphertextException');
    }
  }
}

/** What a host writes to plug its KMS in: a thin {@link SfsKeyWrapper} adapter. */
export class FakeKmsKeyWrapper implements SfsKeyWrapper {
  constructor(private readonly kms: FakeKms) {}

  currentKeyId(): string {
    return this.kms.currentKeyId;
  }

  async wrap(dataKey: Buffer, context: SfsKeyWrapContext): Promise<SfsWrappedKey> {
    await Promise.resolve(); // a network call in a real adapter
    const { keyId, blob } = this.kms.encrypt(dataKey, { tenantId: context.tenantId });
    return { keyId, wrapped: blob };
  }

  async unwrap(wrapped: SfsWrappedKey, context: SfsKeyWrapContext): Promise<Buffer> {
    await Promise.resolve();
    return this.kms.decrypt(wrapped.keyId, wrapped.wrapped, { tenantId: context.tenantId });
  }
}
