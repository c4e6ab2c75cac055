import { UsageError } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import type { PassphraseRequest } from '../../app/passphrase.js';
import { type RawKey, useExclusiveInput } from '../hooks/use-exclusive-input.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';
import { Frame } from './frame.js';

interface Pending {
  request: PassphraseRequest;
  resolve: (passphrase: string) => void;
  reject: (error: unknown) => void;
}

const KEYS = [
  { key: 'enter', does: 'unlock' },
  { key: 'esc', does: 'cancel' },
];

/**
 * Asks for the vault passphrase in a screen of its own whenever the encrypted vault is opened and no
 * LIFEBOAT_VAULT_PASSPHRASE is set: at start (the home screen reads the sign-ins) or in the middle of a sign-in.
 * The screen underneath stays mounted and gets no key until the passphrase is given or the request cancelled.
 * The passphrase is shown as dots, kept only in memory, and a wrong one is asked again (PassphraseBroker).
 */
export function PassphraseGate({ children }: { children: ReactNode }) {
  const { app } = useUi();
  const [pending, setPending] = useState<Pending>();
  const [typed, setTyped] = useState('');
  // The first entry of a new vault's passphrase; a ref too, as a burst may hold both entries (set state lags).
  const [first, setFirstState] = useState<string>();
  const firstNow = useRef<string>(undefined);
  const setFirst = (value: string | undefined) => {
    firstNow.current = value;
    setFirstState(value);
  };
  const [mismatch, setMismatch] = useState(false);
  const typedNow = useRef('');
  useEffect(
    () =>
      app.passphrase.attach(
        (request) =>
          new Promise<string>((resolve, reject) => {
            typedNow.current = '';
            setTyped('');
            firstNow.current = undefined;
            setFirstState(undefined);
            setPending({ request, resolve, reject });
          }),
      ),
    [app],
  );
  const set = (value: string) => {
    typedNow.current = value;
    setTyped(value);
  };
  const finish = (passphrase?: string) => {
    if (!pending) return;
    setPending(undefined);
    set('');
    setFirst(undefined);
    if (passphrase !== undefined) return pending.resolve(passphrase);
    pending.reject(
      new UsageError('No vault passphrase given', {
        hint: 'Secrets (sign-ins, keys) are in the encrypted vault: enter its passphrase when asked, or set LIFEBOAT_VAULT_PASSPHRASE',
      }),
    );
  };
  useExclusiveInput(pending !== undefined, (key: RawKey) => {
    if (!pending) return;
    if (key.type === 'text') return set(typedNow.current + key.text);
    if (key.type === 'backspace') return set(typedNow.current.slice(0, -1));
    if (key.type === 'clear') return set('');
    if (key.type === 'escape' || key.type === 'cancel') return finish();
    if (key.type !== 'enter' || typedNow.current === '') return;
    const value = typedNow.current;
    if (!pending.request.creating) return finish(value);
    // A new vault: the passphrase is typed twice, since a typo here would lock the secrets away for good.
    if (firstNow.current === undefined) {
      setMismatch(false);
      setFirst(value);
      return set('');
    }
    if (firstNow.current === value) return finish(value);
    setMismatch(true);
    setFirst(undefined);
    set('');
  });
  // The screen keeps its place in the tree (hidden, not unmounted) so it keeps its state while the prompt shows.
  const screen = (
    <Box display={pending ? 'none' : 'flex'} flexDirection="column">
      {children}
    </Box>
  );
  return (
    <>
      {screen}
      {pending ? (
        <PassphrasePrompt
          request={pending.request}
          typed={typed.length}
          first={first !== undefined}
          mismatch={mismatch}
        />
      ) : null}
    </>
  );
}

function PassphrasePrompt({
  request: { creating, wrong },
  typed,
  first,
  mismatch,
}: {
  request: PassphraseRequest;
  typed: number;
  first: boolean;
  mismatch: boolean;
}) {
  return (
    <Frame title="Lifeboat · vault passphrase" keys={KEYS}>
      <Text wrap="wrap">
        {creating
          ? 'Secrets (sign-ins, keys) will be kept in a new encrypted vault (LIFEBOAT_SECRETS=vault). Choose its passphrase: it cannot be recovered if lost.'
          : 'Secrets (sign-ins, keys) are kept in the encrypted vault (LIFEBOAT_SECRETS=vault). Enter its passphrase to unlock it.'}
      </Text>
      <Text> </Text>
      {wrong ? <Text color={healthColor('bad')}>Wrong passphrase: it did not open the vault. Try again.</Text> : null}
      {mismatch ? <Text color={healthColor('bad')}>The two passphrases differ. Choose it again.</Text> : null}
      <Text>
        {creating ? (first ? 'Same again: ' : 'New passphrase: ') : 'Vault passphrase: '}
        <Text color={accent()}>{'•'.repeat(typed)}▏</Text>
      </Text>
      <Text> </Text>
      <Text dimColor wrap="wrap">
        To skip this question, set LIFEBOAT_VAULT_PASSPHRASE in the environment (scheduled runs need it there).
      </Text>
    </Frame>
  );
}
