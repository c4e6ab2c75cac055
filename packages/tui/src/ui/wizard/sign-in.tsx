import type { CodeMethod, LoginPrompts } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { ErrorText } from '../components/error-text.js';
import { Menu } from '../components/menu.js';
import { useKeys } from '../hooks/use-keys.js';
import { useTextField } from '../hooks/use-text-field.js';
import { useTyping } from '../hooks/use-typing.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';

type Ask =
  | { type: 'password'; message: string; answer: (v: string) => void }
  | {
      type: 'code';
      message: string;
      methods: CodeMethod[];
      answer: (v: { code: string } | { method: string }) => void;
    };

/**
 * Signs a source in, one question at a time: the password (masked, handed to the source and never kept), then
 * the verification code from a trusted device, or [s] another way to receive it (a text message to a phone).
 * The source's own errors say what to do (web access off, Advanced Data Protection, a wrong code).
 */
export function SignIn({ source, onDone, onSkip }: { source: string; onDone: () => void; onSkip: () => void }) {
  const { app } = useUi();
  const [ask, setAsk] = useState<Ask>();
  const field = useTextField('');
  const [picking, setPicking] = useState(false);
  const [info, setInfo] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [attempt, setAttempt] = useState(0);
  const [done, setDone] = useState(false);
  useTyping(ask !== undefined && !picking && !error && !done);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the signal to sign in again
  useEffect(() => {
    setError(undefined);
    const prompts: LoginPrompts = {
      password: (message) => new Promise((resolve) => setAsk({ type: 'password', message, answer: resolve })),
      code: ({ message, methods }) =>
        new Promise((resolve) => setAsk({ type: 'code', message, methods, answer: resolve })),
      info: (message) => setInfo((lines) => [...lines.slice(-3), message]),
    };
    app.signIn
      .signIn(source, prompts)
      .then(() => setDone(true))
      .catch((e: unknown) => setError(e))
      .finally(() => setAsk(undefined));
  }, [app, source, attempt]);
  useKeys((input, key) => {
    if (done) {
      if (key.return) onDone();
      return;
    }
    if (error) {
      if (input === 'r') {
        setInfo([]);
        return setAttempt((n) => n + 1);
      }
      if (key.escape) return onSkip();
      return;
    }
    if (!ask || picking) return;
    if (key.escape) return onSkip();
    if (key.return) {
      const value = field.now();
      field.set('');
      setAsk(undefined);
      return ask.type === 'password' ? ask.answer(value) : ask.answer({ code: value.trim() });
    }
    if (ask.type === 'code' && input === 's' && ask.methods.length > 0) {
      if (ask.methods.length === 1) {
        setAsk(undefined);
        return ask.answer({ method: ask.methods[0]!.id });
      }
      return setPicking(true);
    }
    // A code is digits only (a paste may bring spaces); the password takes anything.
    if (ask.type === 'code' && input && !key.ctrl && !/^[\d\s-]+$/.test(input)) return;
    field.handle(ask.type === 'code' ? input.replace(/\D/g, '') : input, key);
  });
  return (
    <Box flexDirection="column">
      <Text bold>Sign in to "{source}"</Text>
      {info.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the same message can come twice; its place tells them apart
        <Text key={`${i}-${line}`} wrap="wrap">
          {line}
        </Text>
      ))}
      {ask?.type === 'password' ? (
        <Text>
          {ask.message}: <Text color={accent()}>{field.shown(true, true)}</Text>
        </Text>
      ) : null}
      {ask?.type === 'code' && !picking ? (
        <Box flexDirection="column">
          <Text wrap="wrap">{ask.message}:</Text>
          <Text>
            Code: <Text color={accent()}>{field.shown()}</Text>
          </Text>
          {ask.methods.length > 0 ? (
            <Text>No device at hand? [s] send the code another way ({ask.methods.map((m) => m.label).join(', ')})</Text>
          ) : null}
        </Box>
      ) : null}
      {ask?.type === 'code' && picking ? (
        <Box flexDirection="column">
          <Text>How should the code reach you?</Text>
          <Menu
            items={ask.methods.map((m) => ({ id: m.id, label: m.label }))}
            onChoose={(id) => {
              setPicking(false);
              setAsk(undefined);
              ask.answer({ method: id });
            }}
            onCancel={() => setPicking(false)}
          />
        </Box>
      ) : null}
      {!ask && !error && !done ? <Text>Talking to the server…</Text> : null}
      {error ? (
        <Box flexDirection="column">
          <ErrorText error={error} />
          <Text>{'[r] try again  [esc] skip for now (sign in later from the home screen)'}</Text>
        </Box>
      ) : null}
      {done ? (
        <Text bold color={healthColor('ok')}>
          SIGNED IN: "{source}" is ready. Press [enter] to continue.
        </Text>
      ) : null}
    </Box>
  );
}
