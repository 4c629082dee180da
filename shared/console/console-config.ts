import { readAdminGroup } from '../admin/admin-config.js';
import { deepFreeze, type Env, EnvReader } from '../config/env-reader.js';

/** Configuration of the console function, read once at cold start. */
export interface ConsoleConfig {
  /** Members of this group see the admin pages (the admin API checks it again on every call). */
  adminGroup: string;
}

export function loadConsoleConfig(env: Env): Readonly<ConsoleConfig> {
  return deepFreeze({ adminGroup: readAdminGroup(new EnvReader(env)) });
}
