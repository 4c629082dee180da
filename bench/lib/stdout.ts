import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Runs `fn` with stdout sent to /dev/null: the handler's decision metrics are EMF lines on stdout, and their
 * writes are part of what is measured, but not of what the bench prints.
 */
export async function stdoutToDevNull<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  const devNull = openSync('/dev/null', 'w');
  process.stdout.write = ((chunk: string | Uint8Array) => {
    if (typeof chunk === 'string') writeSync(devNull, chunk);
    else writeSync(devNull, chunk);
    return true;
  }) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
    closeSync(devNull);
  }
}

/** Runs `fn` with stdout lines swallowed (the real handler logs denials as JSON lines on stdout). */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    return await fn();
  } finally {
    process.stdout.write = write;
  }
}
