// Preloaded into cognito-local: its StormDB saves each pool with concurrent fs.writeFile calls on one path,
// which interleave (a user in 100 groups deleted = 100 racing writes). Saves here go through one serial,
// atomic writer per file, so the file on disk is always one whole JSON document.
const { dirname } = require('node:path');
const { existsSync } = require('node:fs');
const { createSerialWriter, writeFileAtomicSync } = require('./atomic-write.cjs');

const cognitoLocalDir = dirname(require.resolve('cognito-local/package.json'));
const LocalEngine = require(require.resolve('stormdb/src/engine/local.js', { paths: [cognitoLocalDir] }));
if (typeof LocalEngine?.prototype?.write !== 'function' || typeof LocalEngine.prototype.read !== 'function') {
  throw new Error('stormdb no longer has LocalEngine#write/#read; update test/stack/stormdb-atomic-saves.cjs');
}

const writers = new WeakMap();

LocalEngine.prototype.init = function init() {
  if (existsSync(this.path)) return this.read();
  writeFileAtomicSync(this.path, this.serialize({}));
  return {};
};

LocalEngine.prototype.write = function write(data) {
  if (!this.async) {
    writeFileAtomicSync(this.path, this.serialize(data));
    return null;
  }
  let save = writers.get(this);
  if (save === undefined) {
    save = createSerialWriter(this.path);
    writers.set(this, save);
  }
  // StormDB passes its live state object: rendering when the write starts saves the newest state.
  return save(() => this.serialize(data));
};
