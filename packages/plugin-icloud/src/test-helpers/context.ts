import type { InstanceContext, Logger, LoginPrompts, ScopedSecrets } from '@lifeboat/plugin-api';

/** Secrets in a Map (what the keychain would hold), inspectable by tests. */
export class MapSecrets implements ScopedSecrets {
  readonly map = new Map<string, string>();
  async get(key: string) {
    return this.map.get(key);
  }
  async set(key: string, value: string) {
    this.map.set(key, value);
  }
  async delete(key: string) {
    this.map.delete(key);
  }
}

export const quietLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

export function instanceContext(
  secrets = new MapSecrets(),
  name = 'my-icloud',
): InstanceContext & { secrets: MapSecrets } {
  return { name, logger: quietLogger, secrets, signal: new AbortController().signal };
}

/** Prompts that answer from a script and record what was asked. */
export function scriptedPrompts(answers: {
  password: string;
  codes?: ({ code: string } | { method: string })[];
}): LoginPrompts & { asked: string[]; methodsOffered: string[][] } {
  const codes = [...(answers.codes ?? [])];
  const asked: string[] = [];
  const methodsOffered: string[][] = [];
  return {
    asked,
    methodsOffered,
    async password(message) {
      asked.push(`password: ${message}`);
      return answers.password;
    },
    async code(request) {
      asked.push(`code: ${request.message}`);
      methodsOffered.push(request.methods.map((m) => m.id));
      const next = codes.shift();
      if (!next) throw new Error('no more codes scripted');
      return next;
    },
    info() {},
  };
}

/** Whether a name holds a control character or a path separator (what must never reach a file system). */
export function unsafeName(name: string): boolean {
  return [...name].some((c) => c.charCodeAt(0) < 32 || c === '/' || c === '\\');
}
