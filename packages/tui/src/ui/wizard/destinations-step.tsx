import { evaluate321, type PluginInfo } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import { ruleDestinations } from '../../app/destination-facts.js';
import { FORM_KEYS } from '../components/form.js';
import { Menu, type MenuItem } from '../components/menu.js';
import { Meter321 } from '../components/meter.js';
import { formatBytes } from '../format.js';
import { useDescribed } from '../hooks/use-described.js';
import { useUi } from '../nav.js';
import { InstanceForm } from './instance-form.js';
import type { StepProps } from './wizard.js';

const MENU_KEYS = [
  { key: '↑↓', does: 'move' },
  { key: 'enter', does: 'choose' },
  { key: 'esc', does: 'back' },
];

/** Step 2: add destinations (a drive or folder, S3, a plugin's), with the 3-2-1 meter saying what is missing. */
export function DestinationsStep({ onNext, onBack, setKeys }: StepProps) {
  const { app } = useUi();
  const [plugins, setPlugins] = useState<PluginInfo[]>([]);
  const [adding, setAdding] = useState<string>();
  const [version, setVersion] = useState(0);
  const [said, setSaid] = useState<string[]>([]);
  const described = useDescribed(app, version);
  useEffect(() => {
    void app.plugins.list().then(setPlugins);
  }, [app]);
  useEffect(() => setKeys(adding ? FORM_KEYS : MENU_KEYS), [adding, setKeys]);
  if (adding) {
    return (
      <InstanceForm
        kind="destination"
        type={adding}
        defaultName={adding === 'disk' ? 'drive' : adding === 's3' ? 'offsite' : adding}
        onCancel={() => setAdding(undefined)}
        onSaved={(_, lines) => {
          setAdding(undefined);
          setSaid(lines);
          setVersion((v) => v + 1);
        }}
      />
    );
  }
  if (plugins.length === 0) return <Text>Loading the plugins…</Text>;
  const types = plugins.flatMap((p) => p.destinations.map((t) => ({ type: t, plugin: p.id })));
  const have = described ?? [];
  const items: MenuItem[] = [
    ...(types.some((t) => t.type === 'disk')
      ? [{ id: 'disk', label: 'Add a drive or folder', note: 'external SSD, NAS share, second disk' }]
      : []),
    ...(types.some((t) => t.type === 's3')
      ? [{ id: 's3', label: 'Add S3-compatible storage', note: 'AWS, Backblaze B2, Wasabi, R2, MinIO…' }]
      : []),
    ...types
      .filter((t) => t.type !== 'disk' && t.type !== 's3')
      .map((t) => ({ id: t.type, label: `Add ${t.type}`, note: `from plugin ${t.plugin}` })),
    {
      id: '@next',
      label: 'Continue: make a plan',
      ...(described?.length === 0 ? { disabled: true, note: 'add a destination first' } : {}),
    },
  ];
  return (
    <Box flexDirection="column">
      {said.map((line) => (
        <Text key={line} wrap="truncate-end">
          {line}
        </Text>
      ))}
      <Text wrap="truncate-end">
        Copies so far:{' '}
        {described === undefined
          ? '…'
          : have.length === 0
            ? 'none.'
            : have
                .map((d) =>
                  d.description
                    ? `${d.name} (${d.description.mediumKind}${d.description.offsite ? ', offsite' : ''}${d.description.freeBytes !== undefined ? `, ${formatBytes(d.description.freeBytes)} free` : ''})`
                    : `${d.name} (unavailable: ${d.error})`,
                )
                .join(', ')}
      </Text>
      {described ? <Meter321 evaluation={evaluate321(ruleDestinations(have))} /> : null}
      <Text> </Text>
      <Menu items={items} onCancel={onBack} onChoose={(id) => (id === '@next' ? onNext() : setAdding(id))} />
    </Box>
  );
}
