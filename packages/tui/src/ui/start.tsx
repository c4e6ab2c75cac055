import { render } from 'ink';
import type { AppServices } from '../app/services.js';
import { App } from './app.js';

/** Opens the terminal UI full-screen and resolves when the user quits. */
export async function startUi(app: AppServices): Promise<number> {
  // Only called with a terminal on stdin and stdout; Ink would otherwise see a `CI` variable in the environment
  // (set by CI machines, and by some users' shells) as "not interactive" and draw nothing until exit.
  const ink = render(<App app={app} />, {
    exitOnCtrlC: false,
    alternateScreen: true,
    patchConsole: true,
    interactive: true,
  });
  await ink.waitUntilExit();
  return 0;
}
