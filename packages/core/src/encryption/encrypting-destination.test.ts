import { RcloneCrypt } from '@lifeboat/crypt';
import { MemoryDestination, runDestinationSuite } from '@lifeboat/plugin-api/testing';
import { describe, expect, it } from 'vitest';
import { EncryptingDestination } from './encrypting-destination.js';

const crypt = await RcloneCrypt.create({ password: 'conformance', password2: 'salt' });

// The same contract as every destination: an encrypted one must keep all of it, seen from the plain side.
runDestinationSuite('EncryptingDestination over MemoryDestination', async () => ({
  destination: new EncryptingDestination(new MemoryDestination(), crypt),
}));

async function bytes(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const part of body) parts.push(part);
  return Buffer.concat(parts);
}

async function* bytesOf(value: string | Buffer): AsyncGenerator<Uint8Array> {
  yield Buffer.from(value);
}

describe('EncryptingDestination', () => {
  it('stores only encrypted names and bytes', async () => {
    const store = new MemoryDestination();
    const destination = new EncryptingDestination(store, crypt);
    const body = 'family photo bytes, 2019 trip';
    await destination.write('2019/05/IMG_0001.JPG', bytesOf(body), { size: body.length });
    const stored = [];
    for await (const info of store.list()) stored.push(info);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.key).not.toMatch(/2019|IMG|JPG/);
    expect(stored[0]!.key).toBe(crypt.names.encryptFileName('2019/05/IMG_0001.JPG'));
    const raw = await bytes(await store.read(stored[0]!.key));
    expect(raw.subarray(0, 8).toString('latin1')).toBe('RCLONE\0\0');
    expect(raw.includes('family')).toBe(false);
    expect((await bytes(await destination.read('2019/05/IMG_0001.JPG'))).toString()).toBe(body);
  });

  it('reads any range, across blocks, decrypting only the blocks that hold it', async () => {
    const destination = new EncryptingDestination(new MemoryDestination(), crypt);
    const plain = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    await destination.write('big.mov', bytesOf(plain), { size: plain.length });
    for (const [offset, length] of [
      [0, 10],
      [65530, 20],
      [65536, 65536],
      [131000, undefined],
      [199_990, 100],
      [5, 0],
    ] as [number, number | undefined][]) {
      const out = await bytes(await destination.read('big.mov', { offset, ...(length !== undefined && { length }) }));
      expect(out.equals(plain.subarray(offset, length === undefined ? undefined : offset + length))).toBe(true);
    }
  });

  it('reports a damaged copy or a wrong password as an integrity error', async () => {
    const store = new MemoryDestination();
    const destination = new EncryptingDestination(store, crypt);
    await destination.write('a.jpg', bytesOf('some bytes'), { size: 10 });
    const key = crypt.names.encryptFileName('a.jpg');
    const raw = await bytes(await store.read(key));
    // Another password encrypts the name differently: the copy is not there for it.
    const other = new EncryptingDestination(store, await RcloneCrypt.create({ password: 'wrong', password2: 'salt' }));
    await expect(other.read('a.jpg')).rejects.toMatchObject({ code: 'LIFEBOAT_NOT_FOUND' });
    raw[raw.length - 1]! ^= 1;
    await store.write(key, bytesOf(raw), { size: raw.length, overwrite: true });
    await expect(bytes(await destination.read('a.jpg'))).rejects.toMatchObject({
      code: 'LIFEBOAT_INTEGRITY',
      message: expect.stringContaining('fails authentication'),
    });
    await expect(bytes(await destination.read('a.jpg', { offset: 2, length: 3 }))).rejects.toMatchObject({
      code: 'LIFEBOAT_INTEGRITY',
    });
  });
});
