/** Configuration from the environment: how DEFAULT_TIMEZONE is read. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

describe('DEFAULT_TIMEZONE', () => {
  it('defaults to Asia/Shanghai and reads zones the way /daily set does', () => {
    expect(loadConfig({}).defaultTimeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'EST' }).defaultTimeZone).toBe('America/New_York');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'UTC+8' }).defaultTimeZone).toBe('Asia/Shanghai');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'asia/kolkata' }).defaultTimeZone).toBe('Asia/Kolkata');
    expect(loadConfig({ DEFAULT_TIMEZONE: 'UTC' }).defaultTimeZone).toBe('UTC');
  });

  it.each([
    ['CST', /DEFAULT_TIMEZONE: "CST" is ambiguous: use Asia\/Shanghai or America\/Chicago/u],
    ['+08:00', /DEFAULT_TIMEZONE: "\+08:00" is a fixed UTC offset .*e\.g\. Asia\/Shanghai/u],
    ['Etc/GMT-8', /fixed UTC offset/u],
    ['Nowhere/Else', /DEFAULT_TIMEZONE: "Nowhere\/Else" is not an IANA time zone/u],
  ])('refuses %j with a one-line reason', (value, message) => {
    expect(() => loadConfig({ DEFAULT_TIMEZONE: value })).toThrow(ConfigError);
    expect(() => loadConfig({ DEFAULT_TIMEZONE: value })).toThrow(message);
  });
});
