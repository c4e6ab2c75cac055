import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createScene, KEY, renderApp, type Scene } from '../testing/harness.js';

describe('the plugins screen', () => {
  let scene: Scene;
  beforeEach(() => {
    scene = createScene();
  });
  afterEach(() => scene.dispose());

  it('lists the installed plugins, what each contributes and its state, in words', async () => {
    const app = renderApp(scene.app, { name: 'plugins' });
    const frame = await app.waitFor('icloud');
    expect(frame).toMatch(/disk\s+\S+\s+source folder, destination disk\s+not yet activated \(built-in\)/);
    expect(frame).toMatch(/icloud\s+\S+\s+source icloud\s+not yet activated \(built-in\)/);
    expect(frame).toMatch(/s3\s+\S+\s+destination s3\s+not yet activated \(built-in\)/);
    await app.press(KEY.esc);
    await app.waitFor('No plan yet: press [a] to set one up.');
    app.unmount();
  });
});
