/**
 * Deterministic synthetic corpora for the benchmark: the real interviews at 1×, and at N× the real ones
 * plus N−1 copies of each with shuffled paragraphs (within each section), new ids and varied speakers.
 * Copy 0 is the real corpus unchanged, so names, ids and the relevance set still resolve at every scale.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, loadCorpus } from '../src/core/corpus/load.ts';
import { serializeInterview } from '../src/core/corpus/format.ts';
import { mulberry32 } from '../src/core/tips/order.ts';
import type { BodyBlock, Interview } from '../src/core/corpus/types.ts';

/** Deterministic PRNG (mulberry32, shared with the tip order). */
export const prng = mulberry32;

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const SURNAMES = Array.from('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎');
const GIVEN = Array.from('伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰飞鹏辉宇浩然泽晨博文昊天');
const FIRST = ['Alex', 'Sam', 'Chris', 'Jordan', 'Taylor', 'Morgan', 'Jamie', 'Casey', 'Robin', 'Kai', 'Lee', 'Max'];
const LAST = ['Chen', 'Wang', 'Li', 'Zhang', 'Liu', 'Huang', 'Zhou', 'Wu', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo'];

/** A name for speaker `i` of copy `copy` of an interview: about 2,000 Chinese and 170 English names in all. */
function variedName(language: 'zh' | 'en', random: () => number): string {
  if (language === 'en') return `${FIRST[Math.floor(random() * FIRST.length)]} ${LAST[Math.floor(random() * LAST.length)]}`;
  return `${SURNAMES[Math.floor(random() * SURNAMES.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}${GIVEN[Math.floor(random() * GIVEN.length)]}`;
}

/** Paragraphs shuffled within each section (headings stay where they are). */
function shuffledBody(body: BodyBlock[], random: () => number): BodyBlock[] {
  const out: BodyBlock[] = [];
  let run: BodyBlock[] = [];
  const flush = (): void => {
    out.push(...shuffle(run, random));
    run = [];
  };
  for (const block of body) {
    if (block.type === 'heading') {
      flush();
      out.push(block);
    } else run.push(block);
  }
  flush();
  return out;
}

/** Copy `copy` (≥ 1) of an interview. */
function copyOf(interview: Interview, copy: number): Interview {
  const random = prng(copy * 7919 + interview.id.length);
  const used = new Set<string>();
  const speakers = interview.speakers.map((speaker) => {
    let name = variedName(interview.language, random);
    while (used.has(name)) name = variedName(interview.language, random);
    used.add(name);
    return { ...speaker, name, aliases: [] };
  });
  return {
    ...interview,
    id: `${interview.id}-x${copy}`,
    speakers,
    body: shuffledBody([...interview.body], random),
  };
}

/** The corpus at `scale`×: the real interviews and `scale − 1` copies of each. */
export function syntheticInterviews(scale: number, base: Interview[] = loadCorpus()): Interview[] {
  const out: Interview[] = [...base];
  for (let copy = 1; copy < scale; copy++) for (const interview of base) out.push(copyOf(interview, copy));
  return out;
}

/**
 * Writes a data folder for `scale` (interviews, dict.txt, tips.yaml) under `dir`, unless one with the
 * same scale is already there. Returns the folder.
 */
export function writeSyntheticData(scale: number, dir: string): string {
  const marker = join(dir, '.complete');
  const hash = createHash('sha256').update(String(scale));
  for (const name of readdirSync(join(DATA_DIR, 'interviews')).sort()) hash.update(readFileSync(join(DATA_DIR, 'interviews', name)));
  for (const file of ['dict.txt', 'tips.yaml']) if (existsSync(join(DATA_DIR, file))) hash.update(readFileSync(join(DATA_DIR, file)));
  const key = hash.digest('hex');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === key) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'interviews'), { recursive: true });
  for (const interview of syntheticInterviews(scale)) {
    writeFileSync(join(dir, 'interviews', `${interview.id}.md`), serializeInterview(interview));
  }
  for (const file of ['dict.txt', 'tips.yaml']) {
    if (existsSync(join(DATA_DIR, file))) copyFileSync(join(DATA_DIR, file), join(dir, file));
  }
  writeFileSync(marker, key);
  return dir;
}
