import { ConfigError } from '../errors/gate-error.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** Reads env values; every failure names the variable, so a broken deploy says what to fix. */
export class EnvReader {
  constructor(private readonly env: Env) {}

  /** `purpose` finishes the message, for a variable that is not the operator's to set (`to read ...`). */
  required(name: string, purpose?: string): string {
    const value = this.env[name]?.trim();
    if (!value) throw new ConfigError(purpose ? `${name} is required ${purpose}` : `${name} is required`);
    return value;
  }

  optional(name: string): string | undefined {
    const value = this.env[name]?.trim();
    return value ? value : undefined;
  }

  list(name: string, { required }: { required: boolean }): string[] {
    const raw = required ? this.required(name) : this.optional(name);
    if (raw === undefined) return [];
    const items = raw
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (required && items.length === 0) throw new ConfigError(`${name} must list at least one value`);
    return items;
  }

  integer(name: string, fallback: number, { min, max }: { min: number; max: number }): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  boolean(name: string, fallback: boolean): boolean {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (raw === 'true') return true;
    if (raw === 'false') return false;
    throw new ConfigError(`${name} must be "true" or "false", got "${raw}"`);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
    }
    return raw as T;
  }
}

/** Deep-freezes a config object so nothing can change it after cold start. */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as Record<string, unknown>)) deepFreeze(child);
  }
  return value;
}
