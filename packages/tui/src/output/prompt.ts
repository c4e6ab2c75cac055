import { createInterface } from 'node:readline';
import { UsageError } from '@lifeboat/core';

/** Asks on the terminal without echoing what is typed (secrets never appear on screen or in scrollback). */
export function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      // Show the question once, then nothing of the answer but the final newline.
      if (!asked) process.stderr.write(s);
      else if (s.includes('\n')) process.stderr.write('\n');
      asked = true;
    };
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new UsageError('Cancelled'));
    });
  });
}

let stdinLines: Promise<string[]> | undefined;

/** Reads all of stdin once and hands out its lines in order (for scripts: `printf 'id\nsecret\n' | lifeboat ...`). */
export async function nextStdinLine(what: string): Promise<string> {
  stdinLines ??= (async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/);
  })();
  const lines = await stdinLines;
  const line = lines.shift();
  if (line === undefined || (line === '' && lines.every((l) => l === ''))) {
    throw new UsageError(`No value for ${what} on standard input`, {
      hint: 'Give one line per --secret, in the order of the --secret options',
    });
  }
  return line;
}

/** A secret value: a hidden prompt on a terminal, otherwise the next line of standard input. */
export function readSecret(what: string): Promise<string> {
  return process.stdin.isTTY ? promptHidden(`${what}: `) : nextStdinLine(what);
}
