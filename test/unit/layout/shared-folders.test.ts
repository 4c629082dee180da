import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SHARED = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)'/g;

/** shared/<folder> -> the shared folders its modules import from (type-only imports count: they are coupling too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const folder of readdirSync(SHARED, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    const targets = new Set<string>();
    for (const file of readdirSync(join(SHARED, folder.name), { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts')) continue;
      const path = join(SHARED, folder.name, file);
      for (const [, specifier] of readFileSync(path, 'utf8').matchAll(IMPORT)) {
        const [target] = relative(SHARED, resolve(dirname(path), specifier!)).split('/');
        if (target && target !== folder.name && !target.startsWith('..')) targets.add(target);
      }
    }
    graph.set(folder.name, targets);
  }
  return graph;
}

/** The first cycle found by depth-first search, as a path that ends where it starts; undefined when acyclic. */
function findCycle(graph: Map<string, Set<string>>): string[] | undefined {
  const done = new Set<string>();
  const visit = (node: string, path: string[]): string[] | undefined => {
    if (path.includes(node)) return [...path.slice(path.indexOf(node)), node];
    if (done.has(node)) return undefined;
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next, [...path, node]);
      if (cycle) return cycle;
    }
    done.add(node);
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

describe('the folders under shared/', () => {
  it('import one another without a cycle, so each can be read and tested from its dependencies up', () => {
    // Act
    const cycle = findCycle(folderGraph());
    // Assess
    expect(cycle?.join(' -> ')).toBeUndefined();
  });

  it('keep shared/config at the bottom: it imports nothing but the error model', () => {
    expect([...(folderGraph().get('config') ?? [])]).toEqual(['errors']);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const graph = new Map([
      ['session', new Set(['oidc'])],
      ['oidc', new Set(['config', 'session'])],
      ['config', new Set<string>()],
    ]);
    expect(findCycle(graph)).toEqual(['session', 'oidc', 'session']);
  });
});
