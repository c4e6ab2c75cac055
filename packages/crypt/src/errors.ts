/** What went wrong, for callers that react differently (a wrong password versus a damaged file). */
export type CryptErrorCode =
  | 'bad-password' // empty or unusable password
  | 'bad-name' // an encrypted name that does not decrypt (not made with this password or these settings)
  | 'not-encrypted' // no rclone crypt header: the file was never encrypted, or is truncated
  | 'bad-block' // a block failed authentication: damaged bytes or the wrong password
  | 'truncated'; // the file ends inside a block

/** An error from the rclone crypt format; `message` says what is wrong and what to do. */
export class CryptError extends Error {
  override readonly name = 'CryptError';
  constructor(
    readonly code: CryptErrorCode,
    message: string,
  ) {
    super(message);
  }
}
