import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/config.ts';

describe('OMI_ADMIN_NAME', () => {
  it('defaults to Admin', () => {
    expect(parseConfig({}).adminName).toBe('Admin');
    expect(parseConfig({ OMI_ADMIN_NAME: '   ' }).adminName).toBe('Admin');
  });

  it('is the trimmed value when set', () => {
    expect(parseConfig({ OMI_ADMIN_NAME: '  Dana Reyes ' }).adminName).toBe('Dana Reyes');
  });

  it('is refused past 200 characters, naming the variable', () => {
    expect(() => parseConfig({ OMI_ADMIN_NAME: 'x'.repeat(201) })).toThrow(ConfigError);
    expect(() => parseConfig({ OMI_ADMIN_NAME: 'x'.repeat(201) })).toThrow(/OMI_ADMIN_NAME/);
  });
});
