import { TransientError } from '@lifeboat/plugin-api';
import { throttled } from '../errors.js';
import { type Json, parseJson } from '../json.js';
import { CookieJar } from './cookie-jar.js';
import { HostPacer, parseRetryAfter } from './pacer.js';
import { type SessionState, STATE_HEADERS } from './session-state.js';

export const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/138.0.0.0 Safari/537.36';

export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** `https://www.icloud.com` (or `.com.cn`): Origin and Referer of each request (docs/icloud-protocol.md §Headers). */
  home: string;
  fetch?: FetchLike;
  /** Per-request timeout for API calls (icloudpd uses 30 s). */
  timeoutMs?: number;
  /** Shared per-host pacing (Retry-After); one per source, so it outlives a session renewal. */
  pacer?: HostPacer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** Follow redirects (downloads only); cookies are recomputed for each hop. */
  followRedirects?: boolean;
  /** No total timeout (a download body may take long); only the wait for headers is limited. */
  streaming?: boolean;
  /** requestJson returns a 503/429 answer instead of throwing (sign-in turns it into its own message). */
  allowThrottled?: boolean;
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  text: string;
  json: Json | undefined;
}

/**
 * HTTP over the global fetch (undici) with Apple's conventions: browser-like headers, a cookie jar, and the
 * state headers Apple hands back captured after every response. Network failures become retryable errors.
 */
export class IcloudHttp {
  readonly jar: CookieJar;
  readonly state: SessionState;
  readonly home: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly pacer: HostPacer;
  /** The timeout of each API response not yet read: cleared once its body is in. */
  readonly #timers = new WeakMap<Response, ReturnType<typeof setTimeout>>();

  constructor(state: SessionState, options: HttpOptions) {
    this.state = state;
    this.jar = new CookieJar(state.cookies);
    this.home = options.home;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.pacer = options.pacer ?? new HostPacer();
  }

  /** The state to persist: headers captured so far plus the current cookies. */
  snapshot(): SessionState {
    return { ...this.state, cookies: this.jar.toJSON() };
  }

  async request(url: string | URL, options: RequestOptions = {}): Promise<Response> {
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await this.#once(target, options);
      const location = response.headers.get('location');
      if (options.followRedirects && response.status >= 300 && response.status < 400 && location && hop < 5) {
        await response.body?.cancel().catch(() => {});
        target = new URL(location, target);
        continue;
      }
      return response;
    }
  }

  /** A request whose answer is read whole (API calls: small JSON bodies). 503/429 become a TransientError. */
  async requestJson(url: string | URL, options: RequestOptions = {}, where = 'iCloud'): Promise<JsonResponse> {
    const response = await this.request(url, options);
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new TransientError(`The connection to ${where} dropped while reading its answer`, { cause });
    } finally {
      clearTimeout(this.#timers.get(response));
    }
    if ((response.status === 503 || response.status === 429) && !options.allowThrottled)
      throw throttled(where, retryAfterMs(response));
    return { status: response.status, headers: response.headers, text, json: parseJson(text) };
  }

  async #once(url: URL, options: RequestOptions): Promise<Response> {
    await this.pacer.wait(url.host, options.signal);
    const headers = new Headers({
      Origin: this.home,
      Referer: `${this.home}/`,
      'User-Agent': USER_AGENT,
      ...options.headers,
    });
    const cookie = this.jar.header(url);
    if (cookie) headers.set('Cookie', cookie);
    // API calls get a total timeout; a streamed download only a limit on the wait for its headers (its body may
    // take long, and the reader watches for a stalled body itself).
    const timer = new AbortController();
    const timeout = setTimeout(() => timer.abort(new DOMException('timed out', 'TimeoutError')), this.#timeoutMs);
    timeout.unref?.();
    const signal = options.signal ? AbortSignal.any([options.signal, timer.signal]) : timer.signal;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method: options.method ?? 'GET',
        headers,
        body: options.body ?? null,
        redirect: 'manual',
        signal,
      });
    } catch (cause) {
      clearTimeout(timeout);
      if (options.signal?.aborted) throw options.signal.reason;
      throw new TransientError(`Cannot reach ${url.host} (${describeCause(cause)})`, { cause });
    }
    if (options.streaming) clearTimeout(timeout);
    else this.#timers.set(response, timeout);
    this.#capture(url, response);
    if (response.status === 503 || response.status === 429)
      this.pacer.throttled(url.host, response.headers.get('retry-after'));
    else this.pacer.ok(url.host);
    return response;
  }

  #capture(url: URL, response: Response): void {
    this.jar.store(url, response.headers.getSetCookie());
    for (const [header, key] of Object.entries(STATE_HEADERS)) {
      const value = response.headers.get(header);
      if (value) this.state[key] = value;
    }
  }
}

/** The Retry-After of a throttling answer, in ms, when it gave one. */
export function retryAfterMs(response: Response): number | undefined {
  return parseRetryAfter(response.headers.get('retry-after'), Date.now());
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = typeof inner === 'object' && inner !== null ? (inner as { code?: unknown }).code : undefined;
    if (cause.name === 'TimeoutError') return 'timed out';
    return typeof code === 'string' ? code : cause.message;
  }
  return String(cause);
}
