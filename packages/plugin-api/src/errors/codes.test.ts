import { describe, expect, it } from 'vitest';
import * as classes from './classes.js';
import { describeError, isRetryable } from './classify.js';
import { ErrorCode, errorCode, hasCode, isLifeboatError } from './codes.js';
import { toFailure } from './failure.js';
import { LifeboatError } from './lifeboat-error.js';

const all = Object.values(classes);

describe('the error registry', () => {
  it('gives each error class a distinct code from the registry, carried by class and instance alike', () => {
    const codes = all.map((Class) => Class.code);
    expect(new Set(codes).size).toBe(all.length);
    for (const Class of all) {
      expect(Object.values(ErrorCode)).toContain(Class.code);
      const error = new Class('x', { hint: 'h' });
      expect(error.code).toBe(Class.code);
      expect(hasCode(error, Class.code)).toBe(true);
      expect(error).toBeInstanceOf(LifeboatError);
    }
    expect(new Set(Object.values(ErrorCode)).size).toBe(Object.keys(ErrorCode).length);
  });

  it('matches by code an error made by another copy of the classes, which instanceof would miss', () => {
    // What a plugin bundling its own copy of this package throws: same code, foreign class.
    class ForeignNotFound extends Error {
      readonly code = 'LIFEBOAT_NOT_FOUND';
      readonly hint = 'look elsewhere';
      readonly retryable = false;
    }
    const foreign = new ForeignNotFound('gone');
    expect(foreign).not.toBeInstanceOf(classes.NotFoundError);
    expect(hasCode(foreign, ErrorCode.NotFound)).toBe(true);
    expect(hasCode(foreign, ErrorCode.Integrity, ErrorCode.NotFound)).toBe(true);
    expect(hasCode(foreign, ErrorCode.Integrity)).toBe(false);
    expect(isLifeboatError(foreign)).toBe(true);
    expect(toFailure(foreign)).toEqual({ code: 'LIFEBOAT_NOT_FOUND', message: 'gone', hint: 'look elsewhere' });
  });

  it('treats a foreign transient error as retryable by its flag, and system errors by their errno', () => {
    expect(isRetryable(new classes.TransientError('busy'))).toBe(true);
    expect(isRetryable(Object.assign(new Error('busy'), { code: 'LIFEBOAT_TRANSIENT', retryable: true }))).toBe(true);
    expect(isRetryable(new classes.NotFoundError('gone'))).toBe(false);
    expect(isRetryable(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('denied'), { code: 'EACCES' }))).toBe(false);
  });

  it('turns any thrown value into {code, message, hint}', () => {
    expect(toFailure(new classes.InsufficientSpaceError('full', { hint: 'free space' }))).toEqual({
      code: 'LIFEBOAT_NO_SPACE',
      message: 'full',
      hint: 'free space',
    });
    expect(toFailure(new classes.IntegrityError('bad bytes'))).toEqual({
      code: 'LIFEBOAT_INTEGRITY',
      message: 'bad bytes',
    });
    const errno = Object.assign(new Error('no such file'), { code: 'ENOENT' });
    expect(toFailure(errno)).toEqual({ code: 'LIFEBOAT_ERROR', message: 'no such file [ENOENT]' });
    expect(toFailure(new TypeError('oops'), ErrorCode.SourceError)).toEqual({
      code: 'LIFEBOAT_SOURCE_ERROR',
      message: 'oops',
    });
    expect(toFailure('a string')).toEqual({ code: 'LIFEBOAT_ERROR', message: 'a string' });
    expect(toFailure(undefined).code).toBe('LIFEBOAT_ERROR');
  });

  it('reads codes off anything thrown', () => {
    expect(errorCode({ code: 'EBUSY' })).toBe('EBUSY');
    expect(errorCode({ code: 3 })).toBeUndefined();
    expect(errorCode(null)).toBeUndefined();
    expect(isLifeboatError({ code: 'LIFEBOAT_CONFIG', message: 'not an Error' })).toBe(false);
    expect(describeError(new classes.ConfigError('bad'))).toBe('bad [LIFEBOAT_CONFIG]');
  });
});
