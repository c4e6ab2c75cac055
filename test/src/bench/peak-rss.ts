/**
 * Peak resident memory of a child process and its descendants, sampled from /proc (Linux only). The kernel's
 * own high-water mark (VmHWM) vanishes with the process, so we poll it and VmRSS while the process lives.
 */
import { readFileSync } from 'node:fs';

function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0; // exited between samples
  }
}

function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/** Starts sampling every `intervalMs`; stop() returns the peak in bytes (0 if never sampled). */
export function watchPeakRss(pid: number, intervalMs = 50): { stop(): number } {
  let peakKb = 0;
  const sample = () => {
    const tree = [pid, ...descendants(pid)];
    const rss = tree.reduce((sum, p) => sum + statusKb(p, 'VmRSS'), 0);
    peakKb = Math.max(peakKb, rss, statusKb(pid, 'VmHWM'));
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peakKb * 1024;
    },
  };
}
