/** Platform credentials of one SFS account. */
export interface SfsCredentials {
  readonly apiKey: string;
  readonly secret: string;
}

/**
 * Port: which SFS account serves a tenant. The default gives every tenant the configured
 * `apiKey`/`secret`; a host whose tenants have SFS accounts of their own provides its own.
 */
export interface SfsCredentialsResolver {
  resolve(tenantId: string): Promise<SfsCredentials> | SfsCredentials;
}
/** Injection token of the {@link SfsCredentialsResolver} port. */
export const SfsCredentialsResolver = Symbol('SfsCredentialsResolver');

/** The default resolver: one platform account for every tenant. */
export class SfsStaticCredentialsResolver implements SfsCredentialsResolver {
  constructor(private readonly credentials: SfsCredentials) {}
  resolve(): SfsCredentials {
    return this.credentials;
  }
}
