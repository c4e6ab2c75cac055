import { type ContributionKind, type ContributionManifest, type Settings, UsageError } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { folderFacts } from '../../app/destination-facts.js';
import { ErrorText } from '../components/error-text.js';
import { Form } from '../components/form.js';
import { type FormField, fieldsFromSchema, formValues } from '../components/schema-fields.js';
import { formatBytes } from '../format.js';
import { useUi } from '../nav.js';
import { healthColor } from '../theme.js';
import { checkEncryptionFields, KEPT_ELSEWHERE, withEncryptionFields } from './encryption-fields.js';

const NAME_FIELD: FormField = {
  key: '@name',
  label: 'Name',
  kind: 'text',
  required: true,
  description: 'What Lifeboat calls it (letters, digits, dot, dash, underscore).',
};

/**
 * Adds a source or destination with a form generated from its plugin's settings schema. Saving checks it
 * the same way `lifeboat source/destination add` does (a destination is initialised and its connection
 * tested) before anything is written to the config. With `editing`, the same form changes an existing one,
 * prefilled, through the service `lifeboat source/destination set` uses (a moved destination must hold its
 * own marker); an empty secret keeps the stored one.
 */
export function InstanceForm({
  kind,
  type,
  defaultName,
  editing,
  onSaved,
  onCancel,
}: {
  kind: ContributionKind;
  type: string;
  defaultName: string;
  editing?: { settings: Settings };
  onSaved: (name: string, said: string[]) => void;
  onCancel: () => void;
}) {
  const { app } = useUi();
  const [contribution, setContribution] = useState<ContributionManifest>();
  const [values, setValues] = useState<Record<string, string>>(() =>
    editing ? asText(editing.settings) : { '@name': app.instances.uniqueName(kind, defaultName) },
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    void app.instances.contribution(kind, type).then(setContribution);
  }, [app, kind, type]);
  const schemaFields = useMemo(() => {
    if (!contribution) return [];
    const fields = fieldsFromSchema(
      contribution.settings,
      contribution.secrets ?? [],
      contribution.optionalSecrets ?? [],
    );
    return editing ? fields.map(keepSecret) : [NAME_FIELD, ...fields];
  }, [contribution, editing]);
  // Editing leaves the encryption password as it is (`--secret` changes it on the command line).
  const fields = editing ? schemaFields : withEncryptionFields(schemaFields, values);
  if (!contribution) return <Text>Loading the {type} settings…</Text>;
  const submit = (submitted: Record<string, string>) => {
    if (editing) return change(submitted);
    try {
      checkEncryptionFields(submitted);
    } catch (e) {
      return setError(e);
    }
    setBusy(true);
    setError(undefined);
    const { settings, secrets } = formValues(
      fields.slice(1).filter((f) => f.key !== KEPT_ELSEWHERE),
      submitted,
    );
    const name = (submitted['@name'] ?? '').trim();
    app.instances
      .prepare(kind, type, name, settings)
      .then((prepared) => app.instances.commit(prepared, secrets))
      .then((said) => onSaved(name, said))
      .catch((e: unknown) => {
        setError(e);
        setBusy(false);
      });
  };
  const change = (submitted: Record<string, string>) => {
    const { settings, secrets } = formValues(fields, submitted);
    const given = Object.fromEntries(
      Object.entries(settings).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(editing?.settings[k])),
    );
    const newSecrets = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ''));
    if (Object.keys(given).length + Object.keys(newSecrets).length === 0) {
      return setError(new UsageError('Nothing changed', { hint: 'Change a field, or press esc to go back' }));
    }
    setBusy(true);
    setError(undefined);
    app.edit
      .set(kind, defaultName, given, newSecrets)
      .then((said) => onSaved(defaultName, said))
      .catch((e: unknown) => {
        setError(e);
        setBusy(false);
      });
  };
  const path = type === 'disk' ? values.path?.trim() : undefined;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end" dimColor>
        {contribution.title}: {contribution.description}
      </Text>
      <Form
        fields={fields}
        initial={values}
        onChange={setValues}
        onSubmit={submit}
        onCancel={onCancel}
        active={!busy}
        submitLabel={kind === 'destination' ? 'Test and save' : 'Save'}
        height={9}
      >
        {path ? <DiskFacts path={path} /> : null}
      </Form>
      {busy ? (
        <Text>{kind === 'destination' ? 'Testing the connection and saving…' : 'Checking and saving…'}</Text>
      ) : null}
      {error ? <ErrorText error={error} /> : null}
    </Box>
  );
}

/** Stored settings as the form's text values. */
function asText(settings: Settings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
}

/** When editing, an empty secret keeps the stored one. */
function keepSecret(field: FormField): FormField {
  return field.kind === 'secret'
    ? { ...field, required: false, description: 'Leave empty to keep the stored one.' }
    : field;
}

/** Free space where the folder would live, and a warning when it shares the system's disk. */
function DiskFacts({ path }: { path: string }) {
  const facts = folderFacts(path);
  if (!facts) return <Text>Nothing above {path} can be read.</Text>;
  return (
    <Box flexDirection="column">
      <Text wrap="truncate-end">
        Free space there: {formatBytes(facts.freeBytes)} (on the drive of {facts.existing})
      </Text>
      {facts.sameDiskAsSystem ? (
        <Text wrap="wrap" color={healthColor('warn')}>
          Warning: this folder is on the same disk as the system. If that disk fails, this copy goes with it — prefer an
          external drive.
        </Text>
      ) : null}
    </Box>
  );
}
