const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/**
 * The template with each `{{name}}` replaced by its value. A placeholder without a value, or a value no placeholder
 * asks for, is an error: the template and the report drift apart loudly, never silently.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const asked = new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1]!));
  const missing = [...asked].filter((name) => !(name in values));
  const unused = Object.keys(values).filter((name) => !asked.has(name));
  if (missing.length > 0 || unused.length > 0) {
    throw new Error(
      `the report template and its values disagree: no value for ${missing.join(', ') || '–'}; no placeholder for ${unused.join(', ') || '–'}`,
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => values[name]!);
}
