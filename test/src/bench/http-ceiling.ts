/**
 * The fan-out benchmark's ceiling: plain parallel HTTP downloads of the same URLs to nowhere, in a process of its
 * own (as Lifeboat is), with Node's fetch (the client Lifeboat's iCloud plugin uses) and the same number of
 * downloads in flight. Prints `{"bytes":N,"files":N}`.
 * Child: node http-ceiling.js <urls.json> <concurrency>
 */
import { readFile } from 'node:fs/promises';

const [urlsFile, concurrencyArg] = process.argv.slice(2);
const urls = JSON.parse(await readFile(urlsFile!, 'utf8')) as string[];
let next = 0;
let bytes = 0;
const worker = async () => {
  for (let i = next++; i < urls.length; i = next++) {
    const response = await fetch(urls[i]!);
    if (!response.ok || !response.body) throw new Error(`GET ${urls[i]} answered ${response.status}`);
    for await (const chunk of response.body) bytes += chunk.length;
  }
};
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
process.stdout.write(`${JSON.stringify({ bytes, files: urls.length })}\n`);
