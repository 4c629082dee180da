import type { RoutePattern } from './route-pattern.js';

interface TrieNode<T> {
  literals: Map<string, TrieNode<T>>;
  param?: TrieNode<T>;
  proxy?: Map<string, T>;
  methods: Map<string, T>;
}

function newNode<T>(): TrieNode<T> {
  return { literals: new Map(), methods: new Map() };
}

/**
 * A segment trie, compiled once at cold start. The depth-first walk tries literal, then {param}, then
 * {proxy+}, so the first route found is the most specific one (see compareSpecificity).
 */
export class RouteMatcher<T> {
  private readonly root: TrieNode<T> = newNode();

  add(pattern: RoutePattern, value: T): void {
    let node = this.root;
    for (const segment of pattern.segments) {
      if (segment.kind === 'proxy') {
        node.proxy ??= new Map();
        node.proxy.set(pattern.method, value);
        return;
      }
      if (segment.kind === 'param') node = node.param ??= newNode();
      else {
        let next = node.literals.get(segment.text);
        if (!next) node.literals.set(segment.text, (next = newNode()));
        node = next;
      }
    }
    node.methods.set(pattern.method, value);
  }

  match(method: string, segments: readonly string[]): T | undefined {
    return this.walk(this.root, method, segments, 0);
  }

  private walk(node: TrieNode<T>, method: string, segments: readonly string[], index: number): T | undefined {
    if (index === segments.length) return node.methods.get(method) ?? node.methods.get('ANY');
    const segment = segments[index]!;
    const literal = node.literals.get(segment);
    if (literal) {
      const found = this.walk(literal, method, segments, index + 1);
      if (found !== undefined) return found;
    }
    if (node.param) {
      const found = this.walk(node.param, method, segments, index + 1);
      if (found !== undefined) return found;
    }
    return node.proxy?.get(method) ?? node.proxy?.get('ANY');
  }
}
