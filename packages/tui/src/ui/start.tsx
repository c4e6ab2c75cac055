import { render } from 'ink';
import type { DependencyContainer } from 'tsyringe';
import { App } from './app.js';

/** Opens the terminal UI full-screen and resolves when the user quits. */
export async function startUi(c: DependencyContainer): Promise<number> {
  const app = render(<App c={c} />, { exitOnCtrlC: false, alternateScreen: true, patchConsole: true });
  await app.waitUntilExit();
  return 0;
}
