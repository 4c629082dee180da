import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fillTemplate } from '../../../bench/report/fill-template.js';

describe("the bench report's template", () => {
  it('replaces every placeholder with its value, leaving single braces such as a route parameter alone', () => {
    // Prepare
    const template = '# Results on {{date}}\n\n`GET /orders/{id}`: {{warmTable}}\n{{date}}';
    // Act
    const text = fillTemplate(template, { date: '2026-12-02', warmTable: '| a |' });
    // Assess
    expect(text).toBe('# Results on 2026-12-02\n\n`GET /orders/{id}`: | a |\n2026-12-02');
  });

  it('inserts a value literally, even one that looks like a replacement pattern', () => {
    // Act
    const text = fillTemplate('cost: {{delta}}', { delta: "$& $1 $' −0.2 µs" });
    // Assess
    expect(text).toBe("cost: $& $1 $' −0.2 µs");
  });

  it('refuses a template that asks for a value the report does not give, naming it', () => {
    // Act
    const fill = () => fillTemplate('{{targets}} and {{consoleTable}}', { targets: '| t |' });
    // Assess
    expect(fill).toThrow(/no value for consoleTable;/);
  });

  it('refuses a value that no placeholder asks for, so a table dropped from the template is noticed', () => {
    // Act
    const fill = () => fillTemplate('{{targets}}', { targets: '| t |', revocationColdTable: '| r |' });
    // Assess
    expect(fill).toThrow(/no placeholder for revocationColdTable/);
  });

  it('ships a template whose placeholders are all plain names, each filled by bench/report/write-report.ts', () => {
    // Prepare
    const template = readFileSync(new URL('../../../bench/report/template.md', import.meta.url), 'utf8');
    const writer = readFileSync(new URL('../../../bench/report/write-report.ts', import.meta.url), 'utf8');
    // Act
    const names = [...template.matchAll(/\{\{([^}]*)\}\}/g)].map((match) => match[1]!);
    // Assess
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      expect(name).toMatch(/^\w+$/);
      expect(writer).toMatch(new RegExp(`\\b${name}:`));
    }
  });
});
