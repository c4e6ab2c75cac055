import { Box, Text } from 'ink';
import Image, { type ImageProtocolName, InkPictureProvider } from 'ink-picture';
import { useEffect, useState } from 'react';
import { colorEnabled } from '../theme.js';

/**
 * How previews are drawn: `off` (the `LIFEBOAT_PREVIEW=off` setting, or NO_COLOR: a picture is nothing but
 * colour), `blocks` (coloured half-blocks, whatever the terminal), or `auto`: the terminal's image protocol where it
 * has one (kitty, iTerm2, sixel), coloured half-blocks elsewhere (ink-picture detects which).
 */
export type PreviewMode = 'off' | 'blocks' | 'auto';

export function previewMode(env: NodeJS.ProcessEnv = process.env): PreviewMode {
  const set = env.LIFEBOAT_PREVIEW?.trim().toLowerCase();
  if (set === 'off' || !colorEnabled(env)) return 'off';
  return set === 'blocks' ? 'blocks' : 'auto';
}

const PROTOCOL: Record<Exclude<PreviewMode, 'off'>, ImageProtocolName | undefined> = {
  blocks: 'halfBlock',
  auto: undefined,
};

type State = { for: string; bytes?: Buffer; note?: string };

/**
 * The picture of the photo under the cursor, beside the list. Loaded after the cursor rests a moment and drawn when
 * it arrives: the list never waits for it. `load` is asked again only when `id` changes.
 */
export function Preview({
  id,
  load,
  width,
  height,
  mode,
}: {
  id: string | undefined;
  load: (signal: AbortSignal) => Promise<Buffer | undefined>;
  width: number;
  height: number;
  mode: PreviewMode;
}) {
  const [state, setState] = useState<State>({ for: '' });
  useEffect(() => {
    if (!id || mode === 'off') return;
    const abort = new AbortController();
    setState({ for: id, note: 'loading preview…' });
    // Scrolling past photos asks for none of them: only the one the cursor stops on.
    const timer = setTimeout(() => {
      load(abort.signal).then(
        (bytes) => !abort.signal.aborted && setState(bytes ? { for: id, bytes } : { for: id, note: 'no preview' }),
        () => !abort.signal.aborted && setState({ for: id, note: 'no preview (it could not be read)' }),
      );
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [id, load, mode]);
  if (mode === 'off') return null;
  const shown: State = state.for === id ? state : { for: id ?? '', note: id ? 'loading preview…' : '' };
  const protocol = PROTOCOL[mode];
  // One provider for the pane's life: it asks the terminal what it can draw once, not for every photo.
  return (
    <InkPictureProvider>
      <Box width={width} height={height} flexDirection="column" flexShrink={0}>
        {shown.bytes ? (
          <Image
            src={shown.bytes}
            width={width}
            height={height}
            objectFit="contain"
            alt="preview"
            {...(protocol ? { protocol } : {})}
          />
        ) : (
          <Text dimColor wrap="truncate-end">
            {shown.note}
          </Text>
        )}
      </Box>
    </InkPictureProvider>
  );
}
