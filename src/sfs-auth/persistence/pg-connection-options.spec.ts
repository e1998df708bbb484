import type { DataSourceOptions } from 'typeorm';
import { SfsAuthConfigError } from '../errors/sfs-auth.error';
import { sfsPgClientConfig } from './pg-connection-options';

describe('sfsPgClientConfig', () => {
  it('refuses a DataSource that is not postgres with a configuration error', () => {
    const mysql = { type: 'mysql', host: 'db' } as DataSourceOptions;
    expect(() => sfsPgClientConfig(mysql)).toThrow(SfsAuthConfigError);
    expect(() => sfsPgClientConfig(mysql)).toThrow(/needs a postgres DataSource \(got 'mysql'\)/);
  });

  it('takes the master of a replicated DataSource', () => {
    const config = sfsPgClientConfig({
      type: 'postgres',
      replication: {
        master: { host: 'primary', port: 5433, username: 'u', password: 'p', database: 'd' },
        slaves: [{ host: 'replica' }],
      },
    } as DataSourceOptions);
    expect(config).toMatchObject({ host: 'primary', port: 5433, user: 'u', database: 'd' });
  });
});
