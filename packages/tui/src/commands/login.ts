import { type LoginPrompts, UsageError } from '@lifeboat/core';
import type { SignInService } from '../app/sign-in.js';
import type { Io } from '../output/io.js';
import { nextStdinLine, promptHidden } from '../output/prompt.js';

export interface LoginArgs {
  passwordStdin: boolean;
  code?: string;
  method?: string;
}

/**
 * Answers a source's sign-in questions: on a terminal by asking; in scripts from `--password-stdin`, `--code`
 * and `--method`. The password is handed to the source and never kept.
 */
function prompts(io: Io, args: LoginArgs): LoginPrompts {
  let methodOffered = false;
  return {
    async password(message) {
      if (args.passwordStdin) return nextStdinLine('the password');
      if (!process.stdin.isTTY) {
        throw new UsageError('A password is needed', {
          hint: 'Run in a terminal, or pass it on stdin with --password-stdin',
        });
      }
      return promptHidden(`${message}: `);
    },
    async code({ message, methods }) {
      if (args.method && !methodOffered) {
        methodOffered = true;
        if (!methods.some((m) => m.id === args.method)) {
          throw new UsageError(`No verification method "${args.method}"`, {
            hint: `Available: ${methods.map((m) => `${m.id} (${m.label})`).join(', ') || '(none)'}`,
          });
        }
        return { method: args.method };
      }
      if (args.code) return { code: args.code };
      if (!process.stdin.isTTY) {
        throw new UsageError(`${message}: a verification code is needed`, {
          hint: `Pass it with --code${methods.length ? `, or pick another way to get one with --method (${methods.map((m) => m.id).join(', ')})` : ''}`,
        });
      }
      io.err(message);
      for (const [i, m] of methods.entries()) io.err(`  ${i + 1}. ${m.label}`);
      const answer = (
        await promptHidden(`Code${methods.length ? ' (or the number of another way to receive it)' : ''}: `)
      ).trim();
      const picked = methods[Number(answer) - 1];
      return /^\d{1,2}$/.test(answer) && picked ? { method: picked.id } : { code: answer };
    },
    info: (message) => io.err(message),
  };
}

/** `login <source>`: interactive sign-in for sources that need one (iCloud); keeps the session in the keychain. */
export async function login(signIn: SignInService, io: Io, name: string, args: LoginArgs) {
  await signIn.signIn(name, prompts(io, args));
  io.err(`Signed in: source "${name}" is ready.`);
  return 0;
}
