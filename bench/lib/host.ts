import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export interface Host {
  readonly cpu: string;
  readonly cpuMHz: number | undefined;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

/** The machine the numbers come from, as RESULTS.md names it. */
export function describeHost(): Host {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const mhz = /^cpu MHz\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    cpu: model,
    cpuMHz: mhz ? Number(mhz) : undefined,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
