// The module npm run console:build writes (.console-build/console-assets.js), imported as #console-assets.
import type { ConsoleAsset } from '../../shared/console/static-site.js';

declare const assets: readonly ConsoleAsset[];
export default assets;
