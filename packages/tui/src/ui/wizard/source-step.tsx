import type { PluginInfo } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { FORM_KEYS } from '../components/form.js';
import { Menu, type MenuItem } from '../components/menu.js';
import { useUi } from '../nav.js';
import { InstanceForm } from './instance-form.js';
import { SignIn } from './sign-in.js';
import type { StepProps } from './wizard.js';

const MENU_KEYS = [
  { key: '↑↓', does: 'move' },
  { key: 'enter', does: 'choose' },
  { key: 'esc', does: 'back' },
];

/** Step 1: add a source (iCloud first), and sign in when it needs it. */
export function SourceStep({ onNext, onBack, setKeys }: StepProps) {
  const { app } = useUi();
  const [plugins, setPlugins] = useState<PluginInfo[]>([]);
  const [adding, setAdding] = useState<string>();
  const [signingIn, setSigningIn] = useState<{ name: string; said: string[] }>();
  const existing = Object.entries(app.config().sources);
  useEffect(() => {
    void app.plugins.list().then(setPlugins);
  }, [app]);
  useEffect(
    () =>
      setKeys(
        adding
          ? FORM_KEYS
          : signingIn
            ? [
                { key: 'enter', does: 'answer' },
                { key: 'esc', does: 'skip' },
              ]
            : MENU_KEYS,
      ),
    [adding, signingIn, setKeys],
  );
  if (signingIn) {
    return (
      <SignIn
        source={signingIn.name}
        onDone={() => onNext([`Source "${signingIn.name}" is signed in.`])}
        onSkip={() => onNext([`Source "${signingIn.name}" is added; sign in before the first run.`])}
      />
    );
  }
  if (adding) {
    return (
      <InstanceForm
        kind="source"
        type={adding}
        defaultName={adding === 'icloud' ? 'icloud' : 'photos'}
        onCancel={() => setAdding(undefined)}
        onSaved={async (name, said) => {
          setAdding(undefined);
          if (await app.instances.signsIn(adding)) setSigningIn({ name, said });
          else onNext(said);
        }}
      />
    );
  }
  if (plugins.length === 0) return <Text>Loading the plugins…</Text>;
  const types = plugins.flatMap((p) => p.sources.map((t) => ({ type: t, plugin: p.id })));
  const items: MenuItem[] = [
    ...(types.some((t) => t.type === 'icloud')
      ? [{ id: 'icloud', label: 'iCloud Photos', note: 'your Apple Account; two-factor sign-in' }]
      : []),
    ...(types.some((t) => t.type === 'folder')
      ? [{ id: 'folder', label: 'A folder', note: 'a camera card, an export, an old library' }]
      : []),
    ...types
      .filter((t) => t.type !== 'icloud' && t.type !== 'folder')
      .map((t) => ({ id: t.type, label: `${t.type} source`, note: `from plugin ${t.plugin}` })),
    ...(existing.length > 0 ? [{ id: '@next', label: 'Continue', note: 'sources are set up' }] : []),
  ];
  return (
    <Box flexDirection="column">
      <Text>
        {existing.length > 0
          ? `Sources so far: ${existing.map(([n, s]) => `${n} (${s.type})`).join(', ')}.`
          : 'Lifeboat copies your photos from a source to drives and the cloud you choose.'}
      </Text>
      <Text> </Text>
      <Menu items={items} onCancel={onBack} onChoose={(id) => (id === '@next' ? onNext() : setAdding(id))} />
    </Box>
  );
}
