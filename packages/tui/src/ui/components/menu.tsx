import { Text } from 'ink';
import { useKeys } from '../hooks/use-keys.js';
import { useSyncState } from '../hooks/use-sync-state.js';
import { accent } from '../theme.js';
import { moveCursor } from './virtual-list.js';

export interface MenuItem {
  id: string;
  label: string;
  note?: string;
  disabled?: boolean;
}

/** A vertical menu: ↑/↓ to move, enter to choose (disabled items say why in their note). */
export function Menu({
  items,
  onChoose,
  onCancel,
  active = true,
}: {
  items: MenuItem[];
  onChoose: (id: string) => void;
  onCancel?: () => void;
  active?: boolean;
}) {
  const [cursor, setCursor, cursorNow] = useSyncState(0);
  useKeys(
    (_, key) => {
      if (key.escape) return onCancel?.();
      if (key.return) {
        const item = items[cursorNow()];
        if (item && !item.disabled) onChoose(item.id);
        return;
      }
      setCursor((at) => moveCursor(at, items.length, key));
    },
    { isActive: active },
  );
  const width = Math.max(...items.map((i) => i.label.length)) + 2;
  return (
    <>
      {items.map((item, i) => (
        <Text key={item.id} wrap="truncate-end" dimColor={item.disabled}>
          <Text color={i === cursor ? accent() : undefined}>{i === cursor ? '> ' : '  '}</Text>
          <Text bold={i === cursor}>{item.label.padEnd(width)}</Text>
          {item.note ? `(${item.note})` : ''}
        </Text>
      ))}
    </>
  );
}
