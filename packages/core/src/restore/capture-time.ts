import { utimes } from 'node:fs/promises';
import { captureTime } from '../sidecar/capture-time.js';

/**
 * The instant a capture date names: with its UTC offset when it has one (`2019-05-04T12:30:00+02:00`), else at its
 * time zone's offset when the zone is known, otherwise read as this machine's local time (what a photo viewer
 * shows for a wall-clock date without a zone). Undefined when there is no date or it cannot be read.
 */
export function captureInstant(capturedAt: string | undefined, timeZone?: string): Date | undefined {
  return captureTime(capturedAt, timeZone)?.instant;
}

/**
 * Sets a restored file's access and modification times to its asset's capture instant, so file browsers and photo
 * applications sort it by when it was taken. Does nothing without a readable date. Never touches the bytes.
 */
export async function setCaptureTime(
  path: string | Buffer,
  capturedAt: string | undefined,
  timeZone?: string,
): Promise<boolean> {
  const at = captureInstant(capturedAt, timeZone);
  if (!at) return false;
  await utimes(path, at, at);
  return true;
}
