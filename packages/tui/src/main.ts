import { AppServices } from './app/services.js';
import { runCli } from './cli.js';
import { closeCatalog, createContainer } from './container.js';
import { printError, processIo } from './output/io.js';

const c = createContainer();
const argv = process.argv.slice(2);
let code: number;
try {
  // No arguments in a terminal: the full-screen UI (loaded only then); otherwise the CLI, and help without a TTY.
  code =
    argv.length === 0 && process.stdin.isTTY && process.stdout.isTTY
      ? await (await import('./ui/start.js')).startUi(c.resolve(AppServices))
      : await runCli(c, processIo, argv.length === 0 ? ['--help'] : argv);
} catch (error) {
  printError(processIo, error, argv.includes('--json'));
  code = 1;
}
closeCatalog(c);
// Exit now: a keychain call that timed out can keep a native thread, and with it the process, alive for ~25 s.
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
