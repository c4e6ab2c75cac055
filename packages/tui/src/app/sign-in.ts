import { type ConfigStore, type LoginPrompts, UsageError, validateSettings } from '@lifeboat/core';
import { normalizePaths } from '../state/instances.js';
import { inject, injectable } from './di.js';
import { requireInstance } from './instances.js';
import { Plugins } from './plugins.js';
import { TOKENS } from './tokens.js';

/** Signing configured sources in (iCloud's password and two-factor code). */
@injectable()
export class SignInService {
  constructor(
    @inject(TOKENS.config) private readonly config: ConfigStore,
    @inject(Plugins) private readonly plugins: Plugins,
  ) {}

  /**
   * Signs a configured source in, asking `prompts` (a terminal prompt for `lifeboat login`, screens in the TUI);
   * the source keeps its session in the keychain. The password goes to the source and is never kept here.
   */
  async signIn(name: string, prompts: LoginPrompts, signal?: AbortSignal): Promise<void> {
    const config = this.config.read();
    requireInstance('source', name, config.sources);
    const instance = config.sources[name]!;
    const host = await this.plugins.host();
    const { contribution } = host.contribution('source', instance.type);
    const factory = await host.factory('source', instance.type);
    if (!factory.login) {
      throw new UsageError(`Source type "${instance.type}" needs no sign-in`, { hint: 'Just run the plan' });
    }
    const settings = normalizePaths(contribution, validateSettings('source', contribution, instance.settings));
    const ctx = await this.plugins.context('source', name, instance.type, signal ?? new AbortController().signal);
    await factory.login(settings, ctx, prompts);
  }
}
