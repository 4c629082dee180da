/**
 * `npm run dev`: the whole product on 127.0.0.1 with no AWS account. State (users, groups) persists in
 * .local-stack/ between runs; delete the folder to start over.
 */
import { fileURLToPath } from 'node:url';
import { renderBanner } from './banner.js';
import { type LocalStack, stackInfo, startLocalStack } from './local-stack.js';
import { PortInUseError } from './ports.js';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const started = Date.now();
  let stack: LocalStack;
  try {
    stack = await startLocalStack({
      stateDir: process.env.GATE_STATE_DIR ?? fileURLToPath(new URL('../../.local-stack/', import.meta.url)),
      ports: {
        cognito: port('GATE_COGNITO_PORT', 9229),
        hostedUi: port('GATE_HOSTED_UI_PORT', 9230),
        http: port('GATE_HTTP_PORT', 3000),
        lambda: port('GATE_LAMBDA_PORT', 3002),
        websocket: port('GATE_WEBSOCKET_PORT', 3001),
      },
      esbuildDir: process.env.GATE_ESBUILD_DIR ?? '.esbuild',
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(
        `\n  ${error.message}\n  (set GATE_COGNITO_PORT, GATE_HOSTED_UI_PORT, GATE_HTTP_PORT, GATE_LAMBDA_PORT or GATE_WEBSOCKET_PORT to move it)\n`,
      );
    } else {
      console.error('\n  the local stack did not start:', error instanceof Error ? error.message : error);
    }
    process.exit(1);
  }
  console.log(renderBanner(stackInfo(stack), Date.now() - started));
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\n  stopping the local stack...');
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main();
