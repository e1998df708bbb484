/**
 * Platform credentials of one SFS account.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsCredentials {
  /** The account's API key (`SFS_API_KEY`). */
  readonly apiKey: string;
  /** The account's secret (`SFS_SECRET`). */
  readonly secret: string;
}

/**
 * Port: which SFS account serves a tenant. The default gives every tenant the configured
 * `apiKey`/`secret`; a host whose tenants have SFS accounts of their own provides its own.
 *
 * @group Ports
 * @publicApi
 */
export interface SfsCredentialsResolver {
  /** The account of `tenantId`, asked each time its platform token is needed: keep it cheap. */
  resolve(tenantId: string): Promise<SfsCredentials> | SfsCredentials;
}
/**
 * Injection token of the {@link SfsCredentialsResolver} port.
 *
 * @group Ports
 * @publicApi
 */
export const SfsCredentialsResolver = Symbol('SfsCredentialsResolver');

/**
 * The default resolver: one platform account for every tenant.
 *
 * @internal
 */
export class SfsStaticCredentialsResolver implements SfsCredentialsResolver {
  constructor(private readonly credentials: SfsCredentials) {}
  resolve(): SfsCredentials {
    return this.credentials;
  }
}
