import { describe, expect, it } from 'vitest';
import { fieldsFromSchema, formValues } from './schema-fields.js';

describe('fieldsFromSchema: secrets', () => {
  it('asks for required secrets (starred) and optional ones (not), after the settings', () => {
    const schema = { type: 'object', required: ['url'], properties: { url: { type: 'string' } } };
    const fields = fieldsFromSchema(schema, ['username'], ['password']);
    expect(fields.map((f) => [f.key, f.kind, f.required])).toEqual([
      ['url', 'text', true],
      ['username', 'secret', true],
      ['password', 'secret', false],
    ]);
    // An optional secret left empty comes back empty: the instance service then stores nothing for it.
    expect(formValues(fields, { url: 'https://nas', username: 'me' }).secrets).toEqual({
      username: 'me',
      password: '',
    });
  });
});
