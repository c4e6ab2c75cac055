export { buildCli, runCli } from './cli.js';
export { createContainer, secretStoreFor, TOKENS } from './container.js';
export { type Io, processIo } from './output/io.js';
