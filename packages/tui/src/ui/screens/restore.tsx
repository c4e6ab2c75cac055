import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { albumPaths, describeError } from '@lifeboat/core';
import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Browsable } from '../../app/browse.js';
import { Frame, useTerminalSize } from '../components/frame.js';
import { Preview, previewMode } from '../components/preview.js';
import { moveCursor, VirtualList } from '../components/virtual-list.js';
import { bar, fit, formatBytes, plural } from '../format.js';
import { useKeys } from '../hooks/use-keys.js';
import { type RestoreView, useRestore } from '../hooks/use-restore.js';
import { useTextField } from '../hooks/use-text-field.js';
import { useTyping } from '../hooks/use-typing.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';
import { type Row, rowsAt, type View } from './browse-rows.js';
import { FileDetails } from './file-details.js';

const today = () => new Date().toISOString().slice(0, 10);

/** Browse any destination (by its own index: works on a new machine) by year/month or album, then restore. */
export function RestoreScreen({ from: initialFrom }: { from?: string | undefined }) {
  const { app, nav } = useUi();
  const { rows: termRows } = useTerminalSize();
  const names = useMemo(() => Object.keys(app.config().destinations), [app]);
  // Sources are listed after the destinations: choosing one picks photos straight from it (screens/pick.tsx).
  const sources = useMemo(() => app.sourceBrowse.names(), [app]);
  const [from, setFrom] = useState(initialFrom);
  const [pick, setPick] = useState(0);
  const [typingPath, setTypingPath] = useState(false);
  const pathField = useTextField('', { path: true });
  const [browsable, setBrowsable] = useState<Browsable | { error: string } | undefined>();
  const [view, setView] = useState<View>('date');
  const [path, setPath] = useState<string[]>([]);
  const [cursors, setCursors] = useState<number[]>([0]);
  const searchField = useTextField('');
  const search = searchField.value;
  const setSearch = searchField.set;
  const [searching, setSearching] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [targeting, setTargeting] = useState(false);
  const targetField = useTextField('', { path: true });
  const restore = useRestore();
  useTyping(typingPath || targeting || searching);

  useEffect(() => {
    if (!from) return;
    setBrowsable(undefined);
    app.browse
      .open(from, new AbortController().signal)
      .then(setBrowsable, (e: unknown) => setBrowsable({ error: describeError(e) }));
  }, [app, from]);

  const entries = browsable && 'entries' in browsable ? browsable.entries : [];
  const rows = useMemo(() => rowsAt(entries, view, path, search), [entries, view, path, search]);
  const cursor = Math.min(cursors[path.length] ?? 0, Math.max(0, rows.length - 1));
  // Keys that arrive before React has re-rendered (a burst over SSH, a loaded machine) must see what the keys
  // before them did: the cursor and the selection are read from and written to refs as well as state.
  const live = useRef({ cursor, selected });
  live.current = { cursor, selected };
  const setCursor = (n: number) => {
    live.current.cursor = n;
    setCursors((cs) => Object.assign([...cs], { [path.length]: n }));
  };
  const row = rows[cursor];
  const shown = row?.type === 'file' ? row.entry : undefined;
  const loadPreview = useCallback(
    (signal: AbortSignal) =>
      browsable && 'preview' in browsable && shown ? browsable.preview(shown, signal) : Promise.resolve(undefined),
    [browsable, shown],
  );
  const selectedBytes = useMemo(
    () => entries.reduce((s, e) => s + (selected.has(e.key) ? e.size : 0), 0),
    [entries, selected],
  );

  useKeys((input, key) => {
    // Choosing where to restore from.
    if (!from) {
      if (typingPath) {
        const typed = pathField.now().trim();
        if (key.escape) return setTypingPath(false);
        if (key.return) return typed ? setFrom(resolve(typed.replace(/^~(?=$|\/)/, homedir()))) : undefined;
        pathField.handle(input, key);
        return;
      }
      if (key.escape || input === 'q') return nav.back();
      if (input === 'o') {
        pathField.set('');
        return setTypingPath(true);
      }
      if (key.return && names[pick]) return setFrom(names[pick]);
      if (key.return && sources[pick - names.length])
        return nav.go({ name: 'pick', source: sources[pick - names.length] });
      return setPick((p) => moveCursor(p, names.length + sources.length, key));
    }
    if (restore.view.phase === 'restoring') {
      if (key.ctrl && input === 'c') restore.stop();
      return;
    }
    if (key.ctrl && input === 'c') return nav.quit();
    if (restore.view.phase === 'done' || restore.view.phase === 'failed') {
      if (key.return || key.escape) return nav.go({ name: 'dashboard' });
      return;
    }
    if (targeting) {
      const target = targetField.now().trim();
      if (key.escape) return setTargeting(false);
      if (key.return && target && browsable && 'entries' in browsable) {
        return restore.start(browsable, selected, resolve(target.replace(/^~(?=$|\/)/, homedir())));
      }
      targetField.handle(input, key);
      return;
    }
    if (searching) {
      if (key.escape) {
        setSearch('');
        return setSearching(false);
      }
      if (key.return || key.downArrow) return setSearching(false);
      searchField.handle(input, key);
      return;
    }
    if (key.escape) {
      if (search) return setSearch('');
      if (path.length > 0) return setPath(path.slice(0, -1));
      if (initialFrom || names.length === 0) return nav.back();
      setFrom(undefined);
      return setBrowsable(undefined);
    }
    if (input === 'q') return nav.back();
    if (input === '/') return setSearching(true);
    if (input === 'a') {
      setPath([]);
      setCursors([0]);
      return setView(view === 'date' ? 'album' : 'date');
    }
    const at = rows[live.current.cursor];
    if (input === ' ' && at) {
      live.current.selected = toggle(live.current.selected, at);
      return setSelected(live.current.selected);
    }
    if ((key.return || key.rightArrow) && row?.type === 'group') {
      setCursors((cs) => Object.assign([...cs], { [path.length + 1]: 0 }));
      return setPath([...path, row.step]);
    }
    if (key.leftArrow || key.backspace) return path.length > 0 ? setPath(path.slice(0, -1)) : undefined;
    if (input === 'r' && selected.size > 0) {
      targetField.set(join(homedir(), 'Restored', today()));
      return setTargeting(true);
    }
    setCursor(moveCursor(live.current.cursor, rows.length, key, termRows - 10));
  });

  if (!from) {
    return (
      <Frame title="Browse & restore · choose a destination" keys={pickKeys(typingPath)}>
        {names.map((n, i) => (
          <Text key={n}>
            {i === pick ? '> ' : '  '}
            {n}
          </Text>
        ))}
        {names.length === 0 ? <Text>No destination is configured here.</Text> : null}
        {sources.map((n, i) => (
          <Text key={`source ${n}`}>
            {names.length + i === pick ? '> ' : '  '}
            {n} (source: pick photos straight from it)
          </Text>
        ))}
        <Text> </Text>
        {typingPath ? (
          <Text>Backup folder: {pathField.shown()}</Text>
        ) : (
          <Text>Or press [o] to open a backup folder by its path (a drive from another computer works too).</Text>
        )}
      </Frame>
    );
  }
  if (!browsable) {
    return (
      <Frame title={`Browse · ${from}`} keys={[{ key: 'esc', does: 'back' }]}>
        <Text>Reading the destination's own index…</Text>
      </Frame>
    );
  }
  if ('error' in browsable) {
    return (
      <Frame title={`Browse · ${from}`} keys={[{ key: 'esc', does: 'back' }]}>
        <Text color={healthColor('bad')}>
          Cannot browse {from}: {browsable.error}
        </Text>
      </Frame>
    );
  }
  const crumbs = search ? `search "${search}"` : [view === 'album' ? 'albums' : 'all years', ...path].join(' › ');
  const listHeight = Math.max(3, termRows - 11);
  return (
    <Frame
      title={`Browse · ${from} · ${crumbs}`}
      right={searching ? `search: ${searchField.shown()}` : search ? `filter: ${search}` : undefined}
      keys={browseKeys(targeting, restore.view.phase)}
    >
      <Box flexDirection="row" height={listHeight}>
        <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
          <VirtualList
            items={rows}
            cursor={cursor}
            height={listHeight}
            empty={search ? 'No file matches.' : 'This destination holds no copies yet.'}
            render={(r, _, focused) => <RowLine row={r} focused={focused} selected={selected} />}
          />
        </Box>
        {/* JPEG and PNG copies are shown beside the list (components/preview.tsx), never holding it up. */}
        {previewMode() !== 'off' ? (
          <Box marginLeft={1} flexShrink={0}>
            <Preview id={shown?.key} load={loadPreview} width={24} height={listHeight} mode={previewMode()} />
          </Box>
        ) : null}
      </Box>
      <Text> </Text>
      {row?.type === 'file' ? <FileDetails entry={row.entry} /> : <Text> </Text>}
      <Text>
        {plural(selected.size, 'file')} selected · {formatBytes(selectedBytes)} ·{' '}
        {plural(entries.length, 'copy', 'copies')} on {from}
      </Text>
      {targeting && restore.view.phase === 'idle' ? (
        <Text color={accent()}>Restore to: {targetField.shown()}</Text>
      ) : null}
      <RestoreProgress v={restore.view} />
    </Frame>
  );
}

/** How far a restore has got, and how it ended. */
function RestoreProgress({ v }: { v: RestoreView }) {
  if (v.phase === 'idle') return null;
  if (v.phase === 'failed') return <Text color={healthColor('bad')}>Restore failed: {v.error}</Text>;
  return (
    <Text wrap="truncate-end">
      {v.phase === 'done' ? 'RESTORED' : 'restoring'} {bar(v.files > 0 ? v.done / v.files : 1, 20)} {v.done} /{' '}
      {plural(v.files, 'file')} ({formatBytes(v.doneBytes)}) to {v.to}
      {v.summary?.alreadyPresent ? ` · ${v.summary.alreadyPresent} already there` : ''}
      {v.failures.length > 0 ? ` · ${v.failures.length} failed: ${v.failures[0]}` : ''}
    </Text>
  );
}

function toggle(selected: Set<string>, row: Row): Set<string> {
  const keys = row.type === 'file' ? [row.entry.key] : row.entries.map((e) => e.key);
  const all = keys.every((k) => selected.has(k));
  const next = new Set(selected);
  for (const k of keys) {
    if (all) next.delete(k);
    else next.add(k);
  }
  return next;
}

function RowLine({ row, focused, selected }: { row: Row; focused: boolean; selected: Set<string> }) {
  const keys = row.type === 'file' ? [row.entry.key] : row.entries.map((e) => e.key);
  const n = keys.filter((k) => selected.has(k)).length;
  const mark = n === 0 ? '[ ]' : n === keys.length ? '[x]' : '[-]';
  const pointer = focused ? '> ' : '  ';
  if (row.type === 'group') {
    return (
      <Text wrap="truncate-end" bold={focused}>
        {pointer}
        {mark} {fit(row.label, 20)} {plural(row.entries.length, 'file').padStart(12)}{' '}
        {formatBytes(row.bytes).padStart(9)}
        {n > 0 && n < keys.length ? `  ${n} selected` : ''}
      </Text>
    );
  }
  const e = row.entry;
  return (
    <Text wrap="truncate-end" bold={focused}>
      {pointer}
      {mark} {fit(e.fileName, 24)} {(e.capturedAt ?? '').slice(0, 16).replace('T', ' ').padEnd(17)}{' '}
      {formatBytes(e.size).padStart(9)}
      {`  ${e.kind}`}
      {e.folder ? `  in "${e.folder}"` : ''}
      {e.albums.length > 0 ? `  album "${albumPaths(e)[0]}"` : ''}
    </Text>
  );
}

const pickKeys = (typing: boolean) =>
  typing
    ? [
        { key: 'enter', does: 'open' },
        { key: 'esc', does: 'cancel' },
      ]
    : [
        { key: '↑↓', does: 'move' },
        { key: 'enter', does: 'browse' },
        { key: 'o', does: 'open a folder' },
        { key: 'esc', does: 'back' },
      ];

function browseKeys(targeting: boolean, phase: string) {
  if (phase === 'restoring') return [{ key: 'ctrl-c', does: 'stop' }];
  if (phase === 'done' || phase === 'failed') return [{ key: 'enter', does: 'home' }];
  if (targeting)
    return [
      { key: 'enter', does: 'restore here' },
      { key: 'ctrl-u', does: 'clear' },
      { key: 'esc', does: 'cancel' },
    ];
  return [
    { key: 'space', does: 'select' },
    { key: '/', does: 'search' },
    { key: '←→', does: 'level' },
    { key: 'a', does: 'albums/dates' },
    { key: 'r', does: 'restore' },
    { key: 'esc', does: 'back' },
  ];
}
