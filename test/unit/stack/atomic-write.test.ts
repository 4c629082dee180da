import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSerialWriter, writeFileAtomic } from '../../stack/atomic-write.cjs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file behind', async () => {
    // Prepare
    const path = join(dir, 'state.json');
    await writeFileAtomic(path, 'old');
    // Act
    await writeFileAtomic(path, 'new');
    // Assess
    expect(await readFile(path, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['state.json']);
  });
});

describe('createSerialWriter', () => {
  it('ends a burst of concurrent saves of shrinking documents with the last one, whole', async () => {
    // Prepare: what cognito-local does when it removes a user from 100 groups at once
    const path = join(dir, 'pool.json');
    const save = createSerialWriter(path);
    const state = { members: Array.from({ length: 100 }, (_, index) => `group-${index}-${'x'.repeat(200)}`) };
    const render = () => JSON.stringify(state, null, 2);
    // Act
    const saves: Promise<void>[] = [];
    while (state.members.length > 0) {
      state.members.pop();
      saves.push(save(render));
    }
    await Promise.all(saves);
    // Assess
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ members: [] });
    expect(await readdir(dir)).toEqual(['pool.json']);
  });

  it('collapses the saves asked for during a write into one more write', async () => {
    // Prepare
    const path = join(dir, 'pool.json');
    const save = createSerialWriter(path);
    let renders = 0;
    const render = () => {
      renders += 1;
      return String(renders);
    };
    // Act
    await Promise.all(Array.from({ length: 50 }, () => save(render)));
    // Assess
    expect(renders).toBe(1);
    expect(await readFile(path, 'utf8')).toBe('1');
  });

  it('rejects the save whose write failed and still runs the next one', async () => {
    // Prepare
    const save = createSerialWriter(join(dir, 'missing-folder', 'pool.json'));
    // Act
    const failed = save(() => 'lost');
    // Assess
    await expect(failed).rejects.toThrow(/ENOENT/);
    await expect(save(() => 'again')).rejects.toThrow(/ENOENT/);
  });
});
