/**
 * Reload without a restart: the holder swaps in a library rebuilt from data/ when every file is valid,
 * keeps serving the previous one otherwise, and services reading through its view see the swap.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LibraryHolder } from '../src/bot/library-holder.ts';
import { DATA_DIR } from '../src/core/corpus/load.ts';
import { loadLibrary } from '../src/core/library.ts';
import { IMPORT_FIXTURES } from './support/import-eval.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'zhenyan-reload-'));
cpSync(DATA_DIR, dataDir, { recursive: true });
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A valid interview that is not in the corpus: a reviewed import fixture under a fresh id. */
const extra = readFileSync(join(IMPORT_FIXTURES, 'en-qa-rocketchat.expected.md'), 'utf8').replace('id: en-qa-rocketchat', 'id: reload-probe');
const extraFile = join(dataDir, 'interviews', 'reload-probe.md');

describe('LibraryHolder', () => {
  const holder = new LibraryHolder(loadLibrary({ dataDir }), { libraryOptions: { dataDir } });
  const view = holder.view;
  const shipped = view.interviews.map((iv) => iv.id);

  it('swaps in an added interview; the view serves it at once', async () => {
    const before = holder.current;
    writeFileSync(extraFile, extra);
    const report = await holder.reload();
    expect(report).toMatchObject({ swapped: true, added: ['reload-probe'], removed: [], changed: [], problems: [] });
    expect(report.passages.after).toBeGreaterThan(report.passages.before);
    expect(holder.current).not.toBe(before);
    expect(view.interviews.map((iv) => iv.id)).toEqual([...shipped, 'reload-probe'].sort());
    expect(view.index.search({ text: 'Rocket.Chat CRM widgets' }).hits.find((h) => h.interview.id === 'reload-probe')?.speaker?.name).toBe('Gabriel Engel');
  });

  it('keeps serving the previous library when a file is invalid, and says where', async () => {
    const serving = holder.current;
    writeFileSync(extraFile, extra.replace('::: speaker gabriel-engel', '::: speaker gabriel'));
    const report = await holder.reload();
    expect(report.swapped).toBe(false);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]!.file).toBe(extraFile);
    expect(report.problems[0]!.message).toMatch(/unknown speaker id "gabriel"/);
    expect(holder.current).toBe(serving);
    expect(view.index.search({ text: 'Rocket.Chat CRM widgets' }).hits.find((h) => h.interview.id === 'reload-probe')?.speaker?.name).toBe('Gabriel Engel');
  });

  it('reports a changed and then a removed interview', async () => {
    writeFileSync(extraFile, extra.replace('Thanks for having me.', 'Thanks for having me!'));
    expect(await holder.reload()).toMatchObject({ swapped: true, added: [], removed: [], changed: ['reload-probe'] });
    unlinkSync(extraFile);
    expect(await holder.reload()).toMatchObject({ swapped: true, added: [], removed: ['reload-probe'] });
    expect(view.interviews.map((iv) => iv.id)).toEqual(shipped);
  });

  it('coalesces reloads requested while one runs', async () => {
    const first = holder.reload();
    const second = holder.reload();
    expect(second).toBe(first);
    await first;
  });
});
