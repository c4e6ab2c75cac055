import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { describeError } from '@lifeboat/core';
import { Box, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BrowsedAsset, SourceBrowsable } from '../../app/source-browse.js';
import { Frame, useTerminalSize } from '../components/frame.js';
import { editLine } from '../components/line-edit.js';
import { Preview, previewMode } from '../components/preview.js';
import { moveCursor, VirtualList } from '../components/virtual-list.js';
import { bar, fit, formatBytes, plural } from '../format.js';
import { type PickView as Progress, usePick } from '../hooks/use-pick.js';
import { useUi } from '../nav.js';
import { accent, healthColor } from '../theme.js';
import { idsOf, type PickRow, type PickView, pickRowsAt } from './pick-rows.js';

const today = () => new Date().toISOString().slice(0, 10);

/**
 * Browse a source (iCloud, a folder) by year and month, album or favourites, with a preview of the photo under the
 * cursor, select photos and download them to a folder: no plan, no destination, no backup needed.
 */
export function PickScreen({ source: initial }: { source?: string | undefined }) {
  const { app, nav } = useUi();
  const { rows: termRows, columns } = useTerminalSize();
  const names = useMemo(() => app.sourceBrowse.names(), [app]);
  const [source, setSource] = useState(initial);
  const [pickIndex, setPickIndex] = useState(0);
  const [listing, setListing] = useState<{ assets: BrowsedAsset[]; n: number; done: boolean }>();
  const [browsable, setBrowsable] = useState<SourceBrowsable>();
  const [error, setError] = useState<string>();
  const [view, setView] = useState<PickView>('date');
  const [path, setPath] = useState<string[]>([]);
  const [cursors, setCursors] = useState<number[]>([0]);
  const [search, setSearch] = useState('');
  const [searching, setSearching] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState<string>();
  const download = usePick();
  const opened = useRef<SourceBrowsable | undefined>(undefined);

  useEffect(() => {
    if (!source) return;
    const abort = new AbortController();
    setListing(undefined);
    setError(undefined);
    app.sourceBrowse
      .open(source, abort.signal, (assets, done) => setListing({ assets, n: assets.length, done }))
      .then(
        (b) => {
          opened.current = b;
          setBrowsable(b);
        },
        (e: unknown) => !abort.signal.aborted && setError(describeError(e)),
      );
    return () => {
      abort.abort();
      void opened.current?.close();
    };
  }, [app, source]);

  const assets = listing?.assets ?? [];
  // biome-ignore lint/correctness/useExhaustiveDependencies: the listing grows in place; its length is its version
  const rows = useMemo(() => pickRowsAt(assets, view, path, search), [assets, listing?.n, view, path, search]);
  const cursor = Math.min(cursors[path.length] ?? 0, Math.max(0, rows.length - 1));
  const setCursor = (n: number) => setCursors((cs) => Object.assign([...cs], { [path.length]: n }));
  const row = rows[cursor];
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const selectedBytes = useMemo(
    () => assets.reduce((s, a) => s + (selected.has(a.asset.id) ? a.bytes : 0), 0),
    [assets, listing?.n, selected],
  );
  const current = row?.type === 'asset' ? row.item.asset : undefined;
  const loadPreview = useCallback(
    (signal: AbortSignal) => (browsable && current ? browsable.preview(current, signal) : Promise.resolve(undefined)),
    [browsable, current],
  );

  useInput((input, key) => {
    if (!source) {
      if (key.escape || input === 'q') return nav.back();
      if (key.return && names[pickIndex]) return setSource(names[pickIndex]);
      return setPickIndex((p) => moveCursor(p, names.length, key));
    }
    if (download.view.phase === 'downloading') {
      if (key.ctrl && input === 'c') download.stop();
      return;
    }
    if (key.ctrl && input === 'c') return nav.quit();
    if (download.view.phase === 'done' || download.view.phase === 'failed') {
      if (key.return || key.escape) return nav.go({ name: 'dashboard' });
      return;
    }
    if (target !== undefined) {
      if (key.escape) return setTarget(undefined);
      if (key.return && target.trim() && browsable) {
        return download.start(browsable, selected, resolve(target.trim().replace(/^~(?=$|\/)/, homedir())));
      }
      return setTarget(editLine(target, input, key));
    }
    if (searching) {
      if (key.escape) {
        setSearch('');
        return setSearching(false);
      }
      if (key.return || key.downArrow) return setSearching(false);
      return setSearch(editLine(search, input, key));
    }
    if (key.escape) {
      if (search) return setSearch('');
      if (path.length > 0) return setPath(path.slice(0, -1));
      return nav.back();
    }
    if (input === 'q') return nav.back();
    if (input === '/') return setSearching(true);
    const views: Record<string, PickView> = { d: 'date', a: 'album', f: 'favorites' };
    if (views[input]) {
      setPath([]);
      setCursors([0]);
      return setView(views[input]);
    }
    if (input === ' ' && row) return setSelected(toggle(selected, row));
    if ((key.return || key.rightArrow) && row?.type === 'group') {
      setCursors((cs) => Object.assign([...cs], { [path.length + 1]: 0 }));
      return setPath([...path, row.step]);
    }
    if (key.leftArrow || key.backspace) return path.length > 0 ? setPath(path.slice(0, -1)) : undefined;
    if (input === 'r' && selected.size > 0 && browsable)
      return setTarget(join(homedir(), 'Pictures', 'Lifeboat', today()));
    setCursor(moveCursor(cursor, rows.length, key, termRows - 10));
  });

  if (!source) {
    return (
      <Frame
        title="Pick photos · choose a source"
        keys={[
          { key: '↑↓', does: 'move' },
          { key: 'enter', does: 'browse' },
          { key: 'esc', does: 'back' },
        ]}
      >
        {names.map((n, i) => (
          <Text key={n}>
            {i === pickIndex ? '> ' : '  '}
            {n}
          </Text>
        ))}
        {names.length === 0 ? <Text>No source is configured here: add one first (lifeboat source add).</Text> : null}
      </Frame>
    );
  }
  if (error) {
    return (
      <Frame title={`Pick · ${source}`} keys={[{ key: 'esc', does: 'back' }]}>
        <Text color={healthColor('bad')}>
          Cannot list {source}: {error}
        </Text>
      </Frame>
    );
  }
  const mode = previewMode();
  const inner = Math.max(38, columns - 2);
  const previewWidth = mode === 'off' ? 0 : Math.min(40, Math.max(16, Math.floor(inner * 0.34)));
  const listHeight = Math.max(3, termRows - 9);
  const crumbs = search
    ? `search "${search}"`
    : [{ date: 'all years', album: 'albums', favorites: 'favourites' }[view], ...path].join(' › ');
  const status = listing?.done ? '' : ` · listing… ${plural(assets.length, 'photo')} so far`;
  return (
    <Frame
      title={`Pick · ${source} · ${crumbs}${status}`}
      right={searching ? `search: ${search}▏` : undefined}
      keys={pickKeys(target !== undefined, download.view.phase)}
    >
      <Box flexDirection="row" height={listHeight}>
        <Box flexDirection="column" flexGrow={1} flexShrink={1} overflow="hidden">
          <VirtualList
            items={rows}
            cursor={cursor}
            height={listHeight}
            empty={listing ? (search ? 'No photo matches.' : 'Nothing here.') : `Listing ${source}…`}
            render={(r, _, focused) => <RowLine row={r} focused={focused} selected={selected} />}
          />
        </Box>
        {previewWidth > 0 ? (
          <Box marginLeft={1} flexShrink={0}>
            <Preview id={current?.id} load={loadPreview} width={previewWidth} height={listHeight} mode={mode} />
          </Box>
        ) : null}
      </Box>
      {current ? <Details item={(row as { item: BrowsedAsset }).item} /> : <Text> </Text>}
      <Text wrap="truncate-end">
        {plural(selected.size, 'photo')} selected · {formatBytes(selectedBytes)} · {plural(assets.length, 'photo')} in{' '}
        {source}
      </Text>
      {target !== undefined && download.view.phase === 'idle' ? (
        <Text color={accent()} wrap="truncate-start">
          Download to: {target}▏
        </Text>
      ) : null}
      <DownloadProgress v={download.view} />
    </Frame>
  );
}

function Details({ item }: { item: BrowsedAsset }) {
  const a = item.asset;
  const flags = [item.kind, a.favorite ? 'favourite' : '', a.hidden ? 'hidden' : ''].filter(Boolean).join(', ');
  return (
    <Text wrap="truncate-end">
      {a.fileName} · taken {a.capturedAt?.slice(0, 16).replace('T', ' ') ?? 'unknown'} ·{' '}
      {plural(a.resources.length, 'file')} {formatBytes(item.bytes)} · {flags}
      {a.albums.length > 0 ? ` · albums: ${a.albums.join(', ')}` : ''}
    </Text>
  );
}

function DownloadProgress({ v }: { v: Progress }) {
  if (v.phase === 'idle') return null;
  if (v.phase === 'failed') return <Text color={healthColor('bad')}>Download failed: {v.error}</Text>;
  return (
    <Text wrap="truncate-end">
      {v.phase === 'done' ? 'DOWNLOADED' : 'downloading'} {bar(v.bytes > 0 ? v.doneBytes / v.bytes : 1, 16)} {v.done} /{' '}
      {plural(v.files, 'file')} ({formatBytes(v.doneBytes)} of {formatBytes(v.bytes)}) to {v.to}
      {v.summary?.alreadyPresent ? ` · ${v.summary.alreadyPresent} already there` : ''}
      {v.failures.length > 0 ? ` · ${v.failures.length} failed: ${v.failures[0]}` : ''}
    </Text>
  );
}

function toggle(selected: Set<string>, row: PickRow): Set<string> {
  const ids = idsOf(row);
  const all = ids.every((id) => selected.has(id));
  const next = new Set(selected);
  for (const id of ids) {
    if (all) next.delete(id);
    else next.add(id);
  }
  return next;
}

function RowLine({ row, focused, selected }: { row: PickRow; focused: boolean; selected: Set<string> }) {
  const ids = idsOf(row);
  const n = ids.filter((id) => selected.has(id)).length;
  const mark = n === 0 ? '[ ]' : n === ids.length ? '[x]' : '[-]';
  const pointer = focused ? '> ' : '  ';
  if (row.type === 'group') {
    return (
      <Text wrap="truncate-end" bold={focused}>
        {pointer}
        {mark} {fit(row.label, 18)} {plural(row.assets.length, 'photo').padStart(11)}{' '}
        {formatBytes(row.bytes).padStart(8)}
      </Text>
    );
  }
  const a = row.item.asset;
  return (
    <Text wrap="truncate-end" bold={focused}>
      {pointer}
      {mark} {fit(a.fileName, 15)} {(a.capturedAt ?? '').slice(0, 16).replace('T', ' ').padEnd(16)}{' '}
      {formatBytes(row.item.bytes).padStart(7)}
      {row.item.kind === 'photo' ? '' : ` ${row.item.kind}`}
      {a.favorite ? ' ★' : ''}
    </Text>
  );
}

function pickKeys(targeting: boolean, phase: string) {
  if (phase === 'downloading') return [{ key: 'ctrl-c', does: 'stop' }];
  if (phase === 'done' || phase === 'failed') return [{ key: 'enter', does: 'home' }];
  if (targeting)
    return [
      { key: 'enter', does: 'download here' },
      { key: 'ctrl-u', does: 'clear' },
      { key: 'esc', does: 'cancel' },
    ];
  return [
    { key: 'space', does: 'select' },
    { key: 'd/a/f', does: 'dates/albums/favs' },
    { key: '/', does: 'search' },
    { key: 'r', does: 'download' },
    { key: 'esc', does: 'back' },
  ];
}
