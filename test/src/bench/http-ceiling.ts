/**
 * The fan-out benchmark's ceiling: plain parallel HTTP downloads of the same URLs to nowhere, in a process of its
 * own (as Lifeboat is), with Node's fetch (the client Lifeboat's iCloud plugin uses) and the same number of
 * downloads in flight. Prints `{"bytes":N,"files":N}`. With a folder, each file is written there (the first step
 * of doing the fan-out with standard tools: parallel downloads to one folder, then `cp -r`, then `rclone copy`).
 * Child: node http-ceiling.js <urls.json> <concurrency> [<folder>]
 */
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const [urlsFile, concurrencyArg, folder] = process.argv.slice(2);
const urls = JSON.parse(await readFile(urlsFile!, 'utf8')) as string[];
let next = 0;
let bytes = 0;
const worker = async () => {
  for (let i = next++; i < urls.length; i = next++) {
    const response = await fetch(urls[i]!);
    if (!response.ok || !response.body) throw new Error(`GET ${urls[i]} answered ${response.status}`);
    if (!folder) {
      for await (const chunk of response.body) bytes += chunk.length;
      continue;
    }
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body), count, createWriteStream(join(folder, `IMG_${i}.JPG`)));
  }
};
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
process.stdout.write(`${JSON.stringify({ bytes, files: urls.length })}\n`);
