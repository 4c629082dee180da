import { describe, expect, it } from 'vitest';
import { loadConsoleConfig } from '../../../shared/console/console-config.js';

describe('the console function config', () => {
  it('takes the admin group from ADMIN_GROUP, admins by default, frozen', () => {
    expect(loadConsoleConfig({})).toEqual({ adminGroup: 'admins' });
    const config = loadConsoleConfig({ ADMIN_GROUP: 'ops' });
    expect(config.adminGroup).toBe('ops');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses a group name with a comma, naming the variable', () => {
    expect(() => loadConsoleConfig({ ADMIN_GROUP: 'ops,admins' })).toThrow(/^ADMIN_GROUP must be/);
  });
});
