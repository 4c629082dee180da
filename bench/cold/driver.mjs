// Runs in a fresh `node` process per sample. Plain JavaScript, so nothing but the bundle is compiled or loaded.
// Times are milliseconds since the parent called spawn(): process.hrtime is CLOCK_MONOTONIC, shared by both.
import { pathToFileURL } from 'node:url';

const spawnedAt = BigInt(process.env.BENCH_SPAWN_NS);
const since = () => Number(process.hrtime.bigint() - spawnedAt) / 1e6;

const bootMs = since();
const mod = await import(pathToFileURL(process.env.BENCH_BUNDLE).href);
const loadedMs = since();
let decidedMs = null;
let response = typeof mod.handler === 'function' ? 'loaded' : null;
if (process.env.BENCH_MODE === 'decide') {
  const event = JSON.parse(process.env.BENCH_EVENT);
  const context = { awsRequestId: 'cold', functionName: 'bench', getRemainingTimeInMillis: () => 5000 };
  try {
    response = await mod.handler(event, context);
  } catch (error) {
    response = { refused: String(error?.message ?? error) };
  }
  decidedMs = since();
}
process.stdout.write(
  '\nBENCH_RESULT ' +
    JSON.stringify({ bootMs, loadedMs, decidedMs, response, sinceTimeOrigin: performance.now() }) +
    '\n',
);
