const startedAt = Date.now();

/** A progress line on stderr, with the seconds since the bench started. */
export function log(message: string): void {
  process.stderr.write(`[bench ${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${message}\n`);
}

/** Stops the run: a variant decided wrongly, or a measurement could not be made. */
export function fail(message: string): never {
  process.stderr.write(`\nbench: FAILED: ${message}\n`);
  process.exit(1);
}
