// CommonJS so that cognito-local's child process can preload it without a TypeScript loader.
const { promises: fs, renameSync, unlinkSync, writeFileSync } = require('node:fs');

let counter = 0;
const tempPathFor = (path) => `${path}.${process.pid}.${++counter}.tmp`;

/** Writes a temp file beside `path`, then renames it over `path`: a reader sees the old text or the new, never half. */
async function writeFileAtomic(path, text) {
  const temp = tempPathFor(path);
  try {
    await fs.writeFile(temp, text);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}

function writeFileAtomicSync(path, text) {
  const temp = tempPathFor(path);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw error;
  }
}

/**
 * One writer per file: writes run one at a time, and saves asked for while one runs collapse into a single
 * next write that renders the newest content, so a burst of N saves costs two writes, not N racing ones.
 */
function createSerialWriter(path) {
  let tail = Promise.resolve();
  let next;
  return function save(render) {
    if (next !== undefined) {
      next.render = render;
      return next.done;
    }
    const job = { render };
    job.done = tail
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return writeFileAtomic(path, job.render());
      });
    next = job;
    tail = job.done;
    return job.done;
  };
}

exports.writeFileAtomic = writeFileAtomic;
exports.writeFileAtomicSync = writeFileAtomicSync;
exports.createSerialWriter = createSerialWriter;
