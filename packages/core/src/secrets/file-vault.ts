import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { makeDirs } from '../util/make-dirs.js';
import { assertSecretKey, type SecretScope, type SecretStore, serviceName } from './secret-store.js';
import { SecretStoreError, VAULT_HINT } from './secret-store-error.js';
import { deriveKeys, newKdf, parseVaultFile, seal, unseal, type VaultKdf, type VaultKeys } from './vault-crypto.js';

export interface FileVaultOptions {
  /** The vault file, e.g. `<state root>/secrets.vault`. */
  path: string;
  /** Asked at most once per process (again after a wrong one): the CLI prompts or reads LIFEBOAT_VAULT_PASSPHRASE. */
  passphrase: () => Promise<string>;
}

/** service (`lifeboat/<plugin>/<kind>/<name>`) → key → value: the plaintext, which only ever exists in memory. */
type Secrets = Map<string, Map<string, string>>;

/**
 * Secrets in one encrypted file, for machines without a usable OS keychain (chosen by the user, never as a
 * silent fallback). Every call re-reads the file, so several processes see each other's writes; a write replaces
 * the whole file atomically (temp + fsync + rename, mode 0600). Two processes writing at the same instant can
 * lose one update: the CLI writes secrets only in interactive commands, one at a time.
 */
export class FileVault implements SecretStore {
  readonly backend = 'vault';
  readonly #path: string;
  readonly #ask: () => Promise<string>;
  #passphrase: Promise<string> | undefined;
  /** Derived once per salt; callers that arrive while scrypt runs share its result. */
  #keys: { salt: string; keys: Promise<VaultKeys> } | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: FileVaultOptions) {
    this.#path = options.path;
    this.#ask = options.passphrase;
  }

  describe(): string {
    return `the encrypted vault at ${this.#path}`;
  }

  async get(scope: SecretScope, key: string): Promise<string | undefined> {
    assertSecretKey(key);
    return (await this.#load()).secrets.get(serviceName(scope))?.get(key);
  }

  async set(scope: SecretScope, key: string, value: string): Promise<void> {
    assertSecretKey(key);
    return this.#update((s) => {
      const service = serviceName(scope);
      s.set(service, (s.get(service) ?? new Map<string, string>()).set(key, value));
    });
  }

  async delete(scope: SecretScope, key: string): Promise<void> {
    assertSecretKey(key);
    return this.#update((s) => {
      const keys = s.get(serviceName(scope));
      keys?.delete(key);
      if (keys?.size === 0) s.delete(serviceName(scope));
    });
  }

  async deleteAll(scope: SecretScope): Promise<void> {
    return this.#update((s) => s.delete(serviceName(scope)));
  }

  // Writes in this process are queued, so two quick `set`s cannot both start from the same old file.
  #update(change: (s: Secrets) => void): Promise<void> {
    const next = this.#queue.then(async () => {
      const { secrets, kdf } = await this.#load();
      change(secrets);
      await this.#write(secrets, kdf ?? newKdf());
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  /** The decrypted secrets, and the KDF of the file (none yet when the vault does not exist: no prompt then). */
  async #load(): Promise<{ secrets: Secrets; kdf?: VaultKdf }> {
    let text: string;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { secrets: new Map() };
      throw this.#error(`could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    const file = parseVaultFile(text);
    if (!file) throw this.#error('is not a Lifeboat vault, or is damaged');
    const opened = unseal(await this.#keysFor(file.kdf), file);
    if (!opened.ok && opened.reason === 'wrong-passphrase') {
      this.#passphrase = undefined; // ask again next time
      this.#keys = undefined;
      throw new SecretStoreError(`Wrong vault passphrase for ${this.describe()}`, {
        hint: 'enter the passphrase the vault was created with (LIFEBOAT_VAULT_PASSPHRASE or the prompt)',
      });
    }
    if (!opened.ok) throw this.#error('was modified or is damaged (authentication failed)');
    return { secrets: decode(opened.plaintext), kdf: file.kdf };
  }

  async #keysFor(kdf: VaultKdf): Promise<VaultKeys> {
    if (this.#keys?.salt === kdf.salt) return this.#keys.keys;
    this.#passphrase ??= this.#ask();
    let passphrase: string;
    try {
      passphrase = await this.#passphrase;
    } catch (error) {
      this.#passphrase = undefined;
      throw error;
    }
    if (passphrase === '') {
      this.#passphrase = undefined;
      throw new SecretStoreError(`No passphrase given for ${this.describe()}`, { hint: VAULT_HINT });
    }
    if (this.#keys?.salt === kdf.salt) return this.#keys.keys; // derived by a caller that waited with us
    const keys = deriveKeys(passphrase, kdf);
    this.#keys = { salt: kdf.salt, keys };
    keys.catch(() => {
      if (this.#keys?.keys === keys) this.#keys = undefined;
    });
    return keys;
  }

  async #write(secrets: Secrets, kdf: VaultKdf): Promise<void> {
    const sealed = seal(await this.#keysFor(kdf), kdf, encode(secrets));
    const dir = dirname(this.#path);
    await makeDirs(dir, 0o700);
    const temp = join(dir, `.${basename(this.#path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temp, 'wx', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(sealed, null, 2)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, this.#path);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.#error(`could not be written (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    await syncDir(dir);
  }

  #error(what: string): SecretStoreError {
    return new SecretStoreError(`The encrypted vault at ${this.#path} ${what}`, { hint: VAULT_HINT });
  }
}

// The rename is durable only once the folder's entry is on disk; some platforms cannot open a folder.
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  await handle?.sync().catch(() => {});
  await handle?.close();
}

const encode = (s: Secrets) =>
  Buffer.from(
    JSON.stringify({ version: 1, scopes: Object.fromEntries([...s].map(([k, v]) => [k, Object.fromEntries(v)])) }),
  );

function decode(plaintext: Buffer): Secrets {
  const doc = JSON.parse(plaintext.toString('utf8')) as { scopes?: Record<string, Record<string, unknown>> };
  const secrets: Secrets = new Map();
  for (const [service, keys] of Object.entries(doc.scopes ?? {})) {
    const values = Object.entries(keys).filter((e): e is [string, string] => typeof e[1] === 'string');
    secrets.set(service, new Map(values));
  }
  return secrets;
}
