import type { InstanceContext, LoginPrompts, Settings, SourceFactory } from '@lifeboat/plugin-api';
import { endpointsFor } from './auth/endpoints.js';
import { IcloudSession } from './auth/session.js';
import { IcloudSource, type IcloudSourceDeps } from './icloud-source.js';
import { icloudSourceOptions } from './settings.js';

/** The `icloud` source type: `create` for runs (no prompts), `login` for `lifeboat login <source>`. */
export function createIcloudSourceFactory(deps: IcloudSourceDeps = {}): SourceFactory {
  return {
    create(settings: Settings, context: InstanceContext) {
      return new IcloudSource(icloudSourceOptions(settings), context, deps);
    },
    async login(settings: Settings, context: InstanceContext, prompts: LoginPrompts) {
      const options = icloudSourceOptions(settings);
      const session = new IcloudSession({
        appleId: options.appleId,
        endpoints: endpointsFor(options.domain, options),
        secrets: context.secrets,
        sourceName: context.name,
        logger: context.logger,
        ...(deps.fetch ? { fetch: deps.fetch } : {}),
      });
      await session.login(prompts, context.signal);
    },
  };
}
