import { createHash, pbkdf2 } from 'node:crypto';
import { promisify } from 'node:util';
import { type Client, Hash, Mode, Srp } from '@foxt/js-srp';

const pbkdf2Async = promisify(pbkdf2);

/** The password protocols Apple offers in `signin/init` (docs/icloud-protocol.md §SRP). */
export type SrpProtocol = 's2k' | 's2k_fo';

/**
 * Apple's SRP password key: PBKDF2-HMAC-SHA256 over SHA-256(password), taken as its 32 raw bytes (`s2k`) or as
 * its lower-case hex text (`s2k_fo`), with the server's salt and iteration count, 32 bytes long.
 */
export async function derivePasswordKey(
  password: string,
  protocol: SrpProtocol,
  salt: Uint8Array,
  iterations: number,
): Promise<Uint8Array> {
  const digest = createHash('sha256').update(password, 'utf8').digest();
  const input = protocol === 's2k_fo' ? Buffer.from(digest.toString('hex'), 'utf8') : digest;
  return new Uint8Array(await pbkdf2Async(input, salt, iterations, 32, 'sha256'));
}

/** The values `signin/complete` wants, base64 on the wire. */
export interface SrpProof {
  m1: string;
  m2: string;
}

/**
 * One SRP-6a exchange with Apple's GSA variant (RFC 5054 2048-bit group, SHA-256, no user name in x), through
 * `@foxt/js-srp`. `start()` gives A for `signin/init`; `prove()` turns the server's answer and the password into
 * M1 and M2 for `signin/complete`. The password is used for the key derivation and not kept.
 */
export class SrpSession {
  readonly #srp = new Srp(Mode.GSA, Hash.SHA256, 2048);
  readonly #accountName: string;
  #client: Client | undefined;

  constructor(accountName: string) {
    this.#accountName = accountName;
  }

  /** A, base64. */
  async start(): Promise<string> {
    this.#client = await this.#srp.newClient(new TextEncoder().encode(this.#accountName), new Uint8Array());
    return Buffer.from(bigintToBytes(this.#client.A)).toString('base64');
  }

  async prove(
    password: string,
    init: { protocol: SrpProtocol; salt: Uint8Array; iterations: number; B: Uint8Array },
  ): Promise<SrpProof> {
    const client = this.#client;
    if (!client) throw new Error('SrpSession.prove() before start()');
    client.p = await derivePasswordKey(password, init.protocol, init.salt, init.iterations);
    const m1Hex = await client.generate(init.salt, init.B);
    const m2 = await client.generateM2();
    client.p = new Uint8Array();
    return { m1: Buffer.from(m1Hex, 'hex').toString('base64'), m2: Buffer.from(m2).toString('base64') };
  }
}

export function bigintToBytes(n: bigint): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}
