import { apiKeyAuth } from './sfs-wire';

describe('apiKeyAuth', () => {
  it('puts the API key in the X-Sendforsign-Key header and clientKey in data', () => {
    expect(apiKeyAuth('key-1', 'client-1')).toEqual({
      headers: { 'X-Sendforsign-Key': 'key-1' },
      data: { clientKey: 'client-1' },
    });
  });
});
