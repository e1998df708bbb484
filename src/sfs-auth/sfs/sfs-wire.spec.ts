import {
  SFS_WIRE,
  apiKeyAuth,
  parseErrorMessage,
  parseTokenResponse,
  type SfsIssuedToken,
} from './sfs-wire';

describe('apiKeyAuth', () => {
  it('puts the API key in the X-Sendforsign-Key header and clientKey in data', () => {
    expect(apiKeyAuth('key-1', 'client-1')).toEqual({
      headers: { 'X-Sendforsign-Key': 'key-1' },
      data: { clientKey: 'client-1' },
    });
  });
});

describe('SFS_WIRE', () => {
  it('names the token and sample paths', () => {
    expect(SFS_WIRE.tokenPath).toBe('/api/token');
    expect(SFS_WIRE.contractPath).toBe('/api/contract');
  });
});

describe('parseTokenResponse', () => {
  const token = (expiresInSeconds: number): SfsIssuedToken => ({
    accessToken: 'tok',
    tokenType: 'Bearer',
    expiresInSeconds,
  });

  it.each<[unknown, SfsIssuedToken | undefined]>([
    [{ access_token: 'tok', token_type: 'Bearer', expires_in: 1800 }, token(1800)],
    [{ access_token: 'tok', token_type: 'bearer', expires_in: 60 }, token(60)],
    [{ access_token: 'tok', expires_in: 60 }, token(60)], // token_type absent: Bearer
    [{ access_token: 'tok', expires_in: '90' }, token(90)], // lifetime as a string
    [{ access_token: 'tok', expires_in: 0.5 }, token(0.5)],
    [
      { access_token: 'x'.repeat(8192), expires_in: 1 },
      { ...token(1), accessToken: 'x'.repeat(8192) },
    ],
    [{ access_token: 'x'.repeat(8193), expires_in: 1 }, undefined],
    [{ access_token: '', expires_in: 60 }, undefined],
    [{ access_token: 42, expires_in: 60 }, undefined],
    [{ access_token: 'tok', token_type: 'Basic', expires_in: 60 }, undefined],
    [{ access_token: 'tok', token_type: 7, expires_in: 60 }, undefined],
    [{ access_token: 'tok', token_type: null, expires_in: 60 }, token(60)],
    [{ access_token: 'tok', expires_in: 0 }, undefined],
    [{ access_token: 'tok', expires_in: -1 }, undefined],
    [{ access_token: 'tok', expires_in: 'soon' }, undefined],
    [{ access_token: 'tok', expires_in: Infinity }, undefined],
    [{ access_token: 'tok', expires_in: null }, undefined],
    [{ access_token: 'tok', expires_in: true }, undefined], // Number(true) would be 1
    [{ access_token: 'tok', expires_in: [60] }, undefined], // Number([60]) would be 60
    [{ access_token: 'tok' }, undefined],
    [{ data: { access_token: 'tok', expires_in: 60 } }, undefined],
    [null, undefined],
    ['tok', undefined],
  ])('%j → %j', (body, expected) => {
    expect(parseTokenResponse(body)).toEqual(expected);
  });
});

describe('parseErrorMessage', () => {
  it.each<[unknown, string | undefined]>([
    [{ code: '400', message: 'Bad parameters' }, 'Bad parameters'],
    [{ message: `${'m'.repeat(250)}` }, 'm'.repeat(200)],
    [{ message: 'tab\there, é and\nnewline ~' }, 'tab?here, ? and?newline ~'],
    [{ message: '' }, ''],
    [{ message: 42 }, undefined],
    [{ error: 'x' }, undefined],
    [null, undefined],
    ['message', undefined],
  ])('%j → %j', (body, expected) => {
    expect(parseErrorMessage(body)).toBe(expected);
  });
});
