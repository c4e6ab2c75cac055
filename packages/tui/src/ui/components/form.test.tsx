/**
 * The form's fields as people type into them (issue 15): keys arriving several to a chunk of stdin (as over SSH
 * or a paste) each count, the caret moves inside a field, tab completes a path, space toggles a choice, and a digit
 * typed into a text field is text only. Every key is written to stdin raw, as the terminal sends it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { KEY, sleep } from '../testing/harness.js';
import { FORM_KEYS, Form } from './form.js';
import type { FormField } from './schema-fields.js';

const FIELDS: FormField[] = [
  { key: 'name', label: 'Name', kind: 'text', required: true },
  { key: 'path', label: 'Path', kind: 'text', required: true, path: true },
  { key: 'layout', label: 'Layout', kind: 'choice', required: false, choices: ['', 'date', 'album'] },
  { key: 'offsite', label: 'Offsite', kind: 'bool', required: false, placeholder: 'false' },
];

function renderForm() {
  const saved: Record<string, string>[] = [];
  const app = render(<Form fields={FIELDS} onSubmit={(v) => saved.push(v)} onCancel={() => {}} />);
  const frame = () => app.lastFrame() ?? '';
  const focused = () =>
    frame()
      .split('\n')
      .find((l) => l.startsWith('> '))
      ?.slice(2);
  return {
    saved,
    frame,
    focused,
    /** One chunk of stdin holding every key given. */
    async chunk(...keys: string[]) {
      app.stdin.write(keys.join(''));
      await sleep(40);
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'lifeboat-form-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('form fields', () => {
  it('applies every key of a burst: three backspaces delete three characters, Down Down moves two rows', async () => {
    const form = renderForm();
    await sleep(40);
    await form.chunk('photos');
    await form.chunk(KEY.backspace, KEY.backspace, KEY.backspace);
    expect(form.focused()).toMatch(/^Name \*\s+pho▏$/);
    await form.chunk(KEY.down, KEY.down);
    expect(form.focused()).toMatch(/^Layout/);
    await form.chunk(KEY.up, KEY.up, KEY.enter);
    await form.chunk('x', KEY.backspace, 'y', KEY.enter, KEY.down, KEY.down, KEY.enter);
    expect(form.saved.at(-1)).toEqual({ name: 'pho', path: 'y' });
  });

  it('moves the caret with ←→, home and end, and edits where it is', async () => {
    const form = renderForm();
    await sleep(40);
    await form.chunk('pho', KEY.left, KEY.left, 'X');
    expect(form.focused()).toMatch(/pX▏ho$/);
    await form.chunk(KEY.home, 'A', KEY.end, 'Z');
    expect(form.focused()).toMatch(/ApXhoZ▏$/);
    await form.chunk(KEY.left, KEY.left, KEY.backspace);
    expect(form.focused()).toMatch(/ApX▏oZ$/);
    await form.chunk(KEY.ctrlU);
    expect(form.focused()).toMatch(/Name \*\s+▏oZ$/);
  });

  it('completes a path with tab, and a digit in a text field is text only', async () => {
    mkdirSync(join(root, 'Pictures-export', 'deep'), { recursive: true });
    mkdirSync(join(root, 'Music'));
    const form = renderForm();
    await sleep(40);
    await form.chunk('5');
    expect(form.focused()).toMatch(/Name \*\s+5▏$/);
    await form.chunk(KEY.down, `${root}/Pi`, KEY.tab);
    expect(form.focused()).toContain(`${root}/Pictures-export/▏`);
    await form.chunk('d', KEY.tab);
    expect(form.focused()).toContain(`${root}/Pictures-export/deep/▏`);
    // Nothing matches: the value stays, and tab leaves the field alone rather than jumping away with a half path.
    await form.chunk('zz', KEY.tab);
    expect(form.focused()).toContain('deep/zz▏');
  });

  it('toggles a choice and a yes/no with space, as the key line says', async () => {
    const form = renderForm();
    await sleep(40);
    await form.chunk(KEY.down, KEY.down);
    expect(form.focused()).toContain('‹ (default) ›');
    await form.chunk(' ');
    expect(form.focused()).toContain('‹ date ›');
    await form.chunk(' ', ' ');
    expect(form.focused()).toContain('‹ (default) ›');
    await form.chunk(KEY.down, ' ');
    expect(form.focused()).toContain('[x] yes');
    expect(FORM_KEYS).toContainEqual({ key: 'space/←→', does: 'choose' });
  });
});
