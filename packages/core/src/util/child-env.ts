/**
 * The environment a child process gets: only what programs need to run (where to find programs, whose home,
 * language, time zone, temp folder, proxies) and what the caller adds, never the rest of Lifeboat's own, which may
 * hold secrets (LIFEBOAT_VAULT_PASSPHRASE, cloud keys a user exported, tokens).
 */
const PASSED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'TERM',
  'NO_COLOR',
  // Reaching the network through a proxy or a private CA is what the machine needs, not a Lifeboat secret.
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  // Windows: programs do not start without these.
  'SystemRoot',
  'SYSTEMROOT',
  'windir',
  'COMSPEC',
  'ComSpec',
  'PATHEXT',
  'USERPROFILE',
  'APPDATA',
  'LOCALAPPDATA',
  'ProgramData',
  'ProgramFiles',
]);

/** Prefixes of variables passed as well (`LC_ALL`, `XDG_RUNTIME_DIR`, ...), plus any the caller names. */
export function childEnv(
  add: Record<string, string> = {},
  options: { prefixes?: string[] } = {},
  from: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const prefixes = ['LC_', 'XDG_', ...(options.prefixes ?? [])];
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(from)) {
    if (value === undefined || name.startsWith('LIFEBOAT_')) continue;
    if (PASSED.has(name) || prefixes.some((p) => name.startsWith(p))) env[name] = value;
  }
  return { ...env, ...add };
}
