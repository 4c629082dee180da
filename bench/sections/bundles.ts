import { type BuiltBundle, buildBundle } from '../lib/build.js';

/** Every bundle the bench loads, built as serverless.yml builds them. */
export interface Bundles {
  readonly authorizer: BuiltBundle;
  /** The authorizer's core with no handler around it (bench/cold/authorizer-without-middy.ts). */
  readonly bare: BuiltBundle;
  readonly floor: BuiltBundle;
  readonly floorHttps: BuiltBundle;
  readonly token: BuiltBundle;
  readonly adminExternal: BuiltBundle;
  readonly adminBundled: BuiltBundle;
  /** The admin entry measured, and why when it is the stand-in. */
  readonly adminEntry: string;
  readonly adminNote: string;
}

export async function buildBundles(root: string, outDir: string): Promise<Bundles> {
  const build = (entry: string, name: string) => buildBundle(root, entry, `${outDir}/${name}.mjs`);
  const authorizer = await build('functions/authorizer/handler.ts', 'authorizer');
  const bare = await build('bench/cold/authorizer-without-middy.ts', 'authorizer-without-middy');
  const floor = await build('bench/cold/floor-handler.ts', 'floor');
  const floorHttps = await build('bench/cold/floor-https-handler.ts', 'floor-https');
  const token = await build('functions/token/handler.ts', 'token');
  const admin = async (entry: string, note: string) => ({
    adminExternal: await build(entry, 'admin-external'),
    adminBundled: await buildBundle(root, entry, `${outDir}/admin-bundled.mjs`, { external: [] }),
    adminEntry: entry,
    adminNote: `${entry}${note}`,
  });
  const real = 'functions/admin/handler.ts';
  let adminBundles: Awaited<ReturnType<typeof admin>>;
  try {
    adminBundles = await admin(real, ' (the real admin handler)');
  } catch (error) {
    const why = (error as Error).message.split('\n')[0];
    adminBundles = await admin('bench/cold/minimal-admin.ts', `, because ${real} did not build: ${why}`);
  }
  return { authorizer, bare, floor, floorHttps, token, ...adminBundles };
}
