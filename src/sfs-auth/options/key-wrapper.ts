/**
 * What a data key is wrapped for. An adapter passes it to its KMS as encryption context (AWS KMS
 * `EncryptionContext`, GCP KMS `additionalAuthenticatedData`, Vault transit `context`), so a tenant's
 * wrapped key never unwraps as another tenant's.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsKeyWrapContext {
  /** The tenant whose data key this is. */
  readonly tenantId: string;
}

/**
 * A wrapped data key as stored: the wrapped bytes and the id of the key that wrapped them.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsWrappedKey {
  /** Id of the wrapping key (a ring key id, a KMS key ARN, a Vault key name and version...). */
  readonly keyId: string;
  /** Opaque to the module (at most 4 KiB). */
  readonly wrapped: Buffer;
}

/**
 * Port: wraps and unwraps the per-tenant data keys that token material is encrypted under. The
 * default wraps with the `SFS_ENCRYPTION_KEYS` ring; a host plugs in a KMS by passing its own
 * implementation as the `keyWrapper` option. Unwrapped keys are cached in memory for at most
 * `dataKeys.cacheTtlMs`, so a KMS is asked once per tenant and instance in that time.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsKeyWrapper {
  /**
   * Id of the key {@link wrap} uses now. `SfsTokenService.reencrypt()` rewraps every stored data
   * key recorded under another id.
   */
  currentKeyId(): string | Promise<string>;
  /** Wraps a 32-byte data key under the current key. */
  wrap(dataKey: Buffer, context: SfsKeyWrapContext): Promise<SfsWrappedKey>;
  /**
   * Unwraps what {@link wrap} returned, possibly under an older key. Throws when it cannot (key
   * gone, context mismatch, tampering); an `SfsAuthError` keeps its code, anything else is
   * reported as `ENCRYPTION_KEY_MISSING`.
   */
  unwrap(wrapped: SfsWrappedKey, context: SfsKeyWrapContext): Promise<Buffer>;
}
/**
 * Injection token of the {@link SfsKeyWrapper} port.
 *
 * @group Ports
 * @publicApi
 */
export const SfsKeyWrapper = Symbol('SfsKeyWrapper');
