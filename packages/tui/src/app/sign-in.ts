import { type LoginPrompts, UsageError, validateSettings } from '@lifeboat/core';
import type { DependencyContainer } from 'tsyringe';
import { requireInstance } from '../commands/instances.js';
import { contextFor, pluginHost, resolveConfig } from '../container.js';
import { normalizePaths } from '../state/instances.js';

/**
 * Signs a configured source in, asking `prompts` (a terminal prompt for `lifeboat login`, screens in the TUI);
 * the source keeps its session in the keychain. The password goes to the source and is never kept here.
 */
export async function signIn(c: DependencyContainer, name: string, prompts: LoginPrompts, signal?: AbortSignal) {
  const config = resolveConfig(c).read();
  requireInstance('source', name, config.sources);
  const instance = config.sources[name]!;
  const host = await pluginHost(c);
  const { contribution } = host.contribution('source', instance.type);
  const factory = await host.factory('source', instance.type);
  if (!factory.login) {
    throw new UsageError(`Source type "${instance.type}" needs no sign-in`, { hint: 'Just run the plan' });
  }
  const settings = normalizePaths(contribution, validateSettings('source', contribution, instance.settings));
  const ctx = await contextFor(c, 'source', name, instance.type, signal ?? new AbortController().signal);
  await factory.login(settings, ctx, prompts);
}
