import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';
import { parse } from 'yaml';

/** serverless-esbuild options that are not esbuild options (the plugin strips them before calling esbuild). */
const PLUGIN_ONLY = new Set([
  'concurrency',
  'zipConcurrency',
  'exclude',
  'nativeZip',
  'packager',
  'packagePath',
  'watch',
  'keepOutputDirectory',
  'packagerOptions',
  'installExtraArgs',
  'outputFileExtension',
  'outputBuildFolder',
  'outputWorkFolder',
  'nodeExternals',
  'skipBuild',
  'skipRebuild',
  'skipBuildExcludeFns',
  'stripEntryResolveExtensions',
  'disposeContext',
]);
const KNOWN_ESBUILD = new Set(['bundle', 'minify', 'sourcemap', 'target', 'platform', 'format', 'banner', 'external']);

/**
 * The esbuild options serverless-esbuild derives from `custom.esbuild` in serverless.yml: the same keys, with
 * `exclude` turned into `external`. Read from the file, so the bench builds what `sls package` builds.
 */
export function productionBuildOptions(root: string): BuildOptions {
  const doc = parse(readFileSync(`${root}/serverless.yml`, 'utf8'), { logLevel: 'silent' }) as {
    custom: { esbuild: Record<string, unknown> };
  };
  const custom = doc.custom.esbuild;
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(custom)) {
    if (PLUGIN_ONLY.has(key)) continue;
    if (!KNOWN_ESBUILD.has(key))
      throw new Error(`bench: serverless.yml custom.esbuild.${key} is new; teach bench/lib/build.ts about it`);
    options[key] = value;
  }
  const exclude = (custom.exclude as string[] | undefined) ?? ['aws-sdk'];
  options.external = [...((custom.external as string[] | undefined) ?? []), ...(exclude.includes('*') ? [] : exclude)];
  return options as BuildOptions;
}

export interface BuiltBundle {
  readonly file: string;
  readonly bytes: number;
  /** gzip -9 of the file: roughly what it adds to the deployment zip. */
  readonly gzipBytes: number;
  readonly metafile: Metafile;
}

export async function buildBundle(
  root: string,
  entry: string,
  outfile: string,
  overrides: Partial<BuildOptions> = {},
): Promise<BuiltBundle> {
  const result = await build({
    ...productionBuildOptions(root),
    ...overrides,
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    metafile: true,
    logLevel: 'error',
  });
  const output = Object.values(result.metafile.outputs)[0]!;
  const gzipBytes = gzipSync(readFileSync(outfile), { level: 9 }).length;
  return { file: outfile, bytes: output.bytes, gzipBytes, metafile: result.metafile };
}
