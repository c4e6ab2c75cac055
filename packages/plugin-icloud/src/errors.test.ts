import { describe, expect, it } from 'vitest';
import { parseAccount } from './auth/account.js';
import { cloudKitError, ICLOUD_ERRORS, readAppleError } from './errors.js';
import { parseJson } from './json.js';

describe('error mapping', () => {
  const table: [string, number, unknown, string, RegExp][] = [
    [
      'ADP / web access off',
      403,
      { serverErrorCode: 'ACCESS_DENIED', reason: 'private db access disabled for this account' },
      ICLOUD_ERRORS.WEB_ACCESS_OFF,
      /"Access iCloud Data on the Web" \(iPhone: Settings > \[your name\] > iCloud\), or turn off Advanced Data Protection/,
    ],
    [
      'zone missing',
      404,
      { serverErrorCode: 'ZONE_NOT_FOUND', reason: 'zone not found' },
      ICLOUD_ERRORS.NOT_ACTIVATED,
      /icloud\.com/,
    ],
    ['throttled', 503, undefined, 'LIFEBOAT_TRANSIENT', /backs off/],
    [
      'invalid global session',
      200,
      { reason: 'Invalid global session', error: 2 },
      ICLOUD_ERRORS.LOGIN_REQUIRED,
      /lifeboat login/,
    ],
    ['domainToUse', 200, { domainToUse: 'iCloud.com.cn' }, ICLOUD_ERRORS.WRONG_DOMAIN, /domain=cn/],
    ['internal error', 500, { serverErrorCode: 'INTERNAL_ERROR' }, 'LIFEBOAT_TRANSIENT', /./],
    [
      'anything else',
      400,
      { serverErrorCode: 'BAD_REQUEST', reason: 'nope' },
      ICLOUD_ERRORS.PROTOCOL,
      /try again later/,
    ],
  ];
  for (const [name, status, body, code, hint] of table) {
    it(`maps ${name} to ${code}`, () => {
      const error = cloudKitError(status, body as never) as unknown as {
        code: string;
        hint?: string;
        retryable: boolean;
      };
      expect(error.code).toBe(code);
      expect(error.hint).toMatch(hint);
      expect(error.retryable).toBe(code === 'LIFEBOAT_TRANSIENT');
    });
  }

  it('leaves normal answers alone', () => {
    expect(cloudKitError(200, { records: [], syncToken: 'x' })).toBeUndefined();
  });

  it('reads both spellings of Apple error lists', () => {
    expect(readAppleError(parseJson('{"serviceErrors":[{"code":"-20101","message":"Enter the email"}]}'))).toEqual({
      code: '-20101',
      reason: 'Enter the email',
    });
    expect(
      readAppleError(parseJson('{"service_errors":[{"code":"-21669","title":"Incorrect"}],"hasError":true}')).code,
    ).toBe('-21669');
    expect(readAppleError(parseJson('{"errorCode":-21669,"errorMessage":"bad"}'))).toEqual({
      code: '-21669',
      reason: 'bad',
    });
  });

  it('refuses an account answer without dsInfo or the photo service, or that points elsewhere', () => {
    expect(() => parseAccount(parseJson('{"success":false,"error":"Missing X-APPLE-WEBAUTH-TOKEN cookie"}'))).toThrow(
      expect.objectContaining({ code: ICLOUD_ERRORS.NOT_ACTIVATED }),
    );
    expect(() => parseAccount(parseJson('{"dsInfo":{"dsid":"1"},"webservices":{}}'))).toThrow(/ckdatabasews/);
    expect(() =>
      parseAccount(parseJson('{"dsInfo":{"dsid":"1"},"webservices":{"ckdatabasews":{"url":"file:///etc/passwd"}}}')),
    ).toThrow(/ckdatabasews/);
    expect(() => parseAccount(parseJson('{"domainToUse":"iCloud.com.cn"}'))).toThrow(
      expect.objectContaining({ code: ICLOUD_ERRORS.WRONG_DOMAIN }),
    );
  });
});
