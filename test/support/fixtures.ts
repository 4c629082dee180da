import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const EVENTS_DIR = fileURLToPath(new URL('../fixtures/events/', import.meta.url));

/** A fresh deep copy of a captured event, so a test can change it freely. */
export function loadEvent<T = Record<string, any>>(name: string): T {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${name}.json`, 'utf8')) as T;
}
