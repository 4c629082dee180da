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
  const admin = async (entry: string) => ({
    adminExternal: await build(entry, 'admin-external'),
    adminBundled: await buildBundle(root, entry, `${outDir}/admin-bundled.mjs`, { external: [] }),
  });
  try {
    const entry = 'functions/admin/handler.ts';
    return {
      authorizer,
      bare,
      floor,
      floorHttps,
      token,
      ...(await admin(entry)),
      adminEntry: entry,
      adminNote: `${entry} (the real admin handler)`,
    };
  } catch (error) {
    const entry = 'bench/cold/minimal-admin.ts';
    const why = (error as Error).message.split('\n')[0];
    return {
      authorizer,
      bare,
      floor,
      floorHttps,
      token,
      ...(await admin(entry)),
      adminEntry: entry,
      adminNote: `${entry}, because functions/admin/handler.ts did not build: ${why}`,
    };
  }
}
