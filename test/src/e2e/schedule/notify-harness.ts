/** What the notification e2e tests listen with: a local webhook server and a hook command writing its stdin. */
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface NotifyEvent {
  version: number;
  type: string;
  plan: string;
  at: string;
  host: string;
  message: string;
  [key: string]: unknown;
}

export interface WebhookServer {
  url: string;
  received: NotifyEvent[];
  /** Status codes to answer the next requests with (then 204). */
  answers: number[];
  requests: number;
  close(): Promise<void>;
}

export async function startWebhookServer(): Promise<WebhookServer> {
  const state = { received: [] as NotifyEvent[], answers: [] as number[], requests: 0 };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      state.requests++;
      const status = state.answers.shift() ?? 204;
      if (status < 300 && req.headers['content-type'] === 'application/json') state.received.push(JSON.parse(body));
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    // A token in the path, as real webhook URLs have: it must never show up in config or logs.
    url: `http://127.0.0.1:${port}/hooks/tok-9f8e7d6c5b4a`,
    get received() {
      return state.received;
    },
    get answers() {
      return state.answers;
    },
    set answers(a: number[]) {
      state.answers = a;
    },
    get requests() {
      return state.requests;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A hook program (node + a script) that appends the event JSON it gets on stdin to `out`, one per line. */
export async function hookCommand(dir: string): Promise<{ command: string; out: string; events(): NotifyEvent[] }> {
  const script = join(dir, 'hook.mjs');
  const out = join(dir, 'hook-events.jsonl');
  await writeFile(
    script,
    `import { appendFileSync } from 'node:fs';
let s = '';
process.stdin.on('data', (d) => (s += d)).on('end', () => appendFileSync(process.argv[2], s.trim() + '\\n'));
`,
  );
  return {
    command: `${process.execPath} ${script} ${out}`,
    out,
    events: () =>
      existsSync(out)
        ? readFileSync(out, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as NotifyEvent)
        : [],
  };
}
