import { closeCatalog, createContainer } from './container.js';
import { processIo, printError } from './output/io.js';
import { runCli } from './cli.js';

const c = createContainer();
const argv = process.argv.slice(2);
let code: number;
try {
  code = await runCli(c, processIo, argv.length === 0 ? ['--help'] : argv);
} catch (error) {
  printError(processIo, error, argv.includes('--json'));
  code = 1;
}
closeCatalog(c);
process.exitCode = code;
