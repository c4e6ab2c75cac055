import { runDestinationSuite, runSourceSuite } from './index.js';
import { MemoryDestination } from './memory-destination.js';
import { MemorySource } from './memory-source.js';

// The reference implementations must pass the kit they are the reference for.
runDestinationSuite('MemoryDestination', async () => ({ destination: new MemoryDestination() }));

runSourceSuite('MemorySource', async () => {
  const source = new MemorySource();
  source.put('2019/IMG_0001.JPG', Buffer.alloc(200_000, 1));
  source.put('2019/IMG_0002.HEIC', Buffer.alloc(3, 2), { capturedAt: '2019-05-04T12:30:00' });
  source.put('empty.png', Buffer.alloc(0));
  return { source, expected: { assetCount: 3 } };
});
