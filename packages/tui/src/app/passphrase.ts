import { existsSync } from 'node:fs';
import { FileVault, UsageError } from '@lifeboat/core';
import { injectable } from './di.js';

/** What the screen asking for the vault passphrase should say. */
export interface PassphraseRequest {
  /** No vault file yet: the passphrase chosen now will lock it (the screen asks twice). */
  creating: boolean;
  /** The last one given did not open the vault. */
  wrong: boolean;
}

export type PassphraseAsker = (request: PassphraseRequest) => Promise<string>;

/**
 * Where the vault passphrase is asked when no LIFEBOAT_VAULT_PASSPHRASE is set. The CLI asks on the terminal; the
 * full-screen UI attaches its own asker here, because a raw prompt under Ink is drawn over the screen and leaves the
 * terminal echoing keys (issue 15). A passphrase that does not open the vault is asked again, so a typo costs a retry,
 * not the operation that needed the vault.
 */
@injectable()
export class PassphraseBroker {
  #asker: PassphraseAsker | undefined;

  /** Routes passphrase requests to `asker` until the returned function is called. */
  attach(asker: PassphraseAsker): () => void {
    this.#asker = asker;
    return () => {
      if (this.#asker === asker) this.#asker = undefined;
    };
  }

  get attached(): boolean {
    return this.#asker !== undefined;
  }

  /** Asks the attached asker until a passphrase opens the vault at `vaultPath` (or any, when it does not exist). */
  async ask(vaultPath: string): Promise<string> {
    for (let wrong = false; ; wrong = true) {
      const asker = this.#asker;
      if (!asker) throw new UsageError('The secrets vault needs its passphrase', { hint: VAULT_PROMPT_HINT });
      const creating = !existsSync(vaultPath);
      const passphrase = await asker({ creating, wrong });
      if (creating || (await opens(vaultPath, passphrase))) return passphrase;
    }
  }
}

const VAULT_PROMPT_HINT = 'Set LIFEBOAT_VAULT_PASSPHRASE, or run the command in a terminal to be asked for it';

/** Whether `passphrase` opens the vault: a read with it fails only on a wrong passphrase (or a damaged file). */
async function opens(vaultPath: string, passphrase: string): Promise<boolean> {
  if (passphrase === '') return false;
  const probe = new FileVault({ path: vaultPath, passphrase: async () => passphrase });
  try {
    await probe.get({ pluginId: 'lifeboat', kind: 'source', name: 'passphrase-check' }, 'probe');
    return true;
  } catch (error) {
    if (error instanceof Error && /wrong vault passphrase/i.test(error.message)) return false;
    throw error;
  }
}
