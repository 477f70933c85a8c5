/** Autocomplete choices for speaker and source options, from the corpus. Fast: no search index involved. */
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import type { Library } from '../core/library.ts';
import { LIMITS, truncate } from './limits.ts';

type Choice = APIApplicationCommandOptionChoice<string>;

/** Ranks `candidates` (each with searchable keys) against `typed`: prefix matches first, then substrings. */
function rank<T>(candidates: T[], keys: (item: T) => string[], typed: string, normalize: (s: string) => string): T[] {
  const query = normalize(typed.trim());
  if (query.length === 0) return candidates;
  const scored: Array<{ item: T; score: number }> = [];
  for (const item of candidates) {
    const normalizedKeys = keys(item).map(normalize);
    if (normalizedKeys.some((key) => key.startsWith(query))) scored.push({ item, score: 0 });
    else if (normalizedKeys.some((key) => key.includes(query))) scored.push({ item, score: 1 });
  }
  return scored.sort((a, b) => a.score - b.score).map((entry) => entry.item);
}

/**
 * People matching what the user typed (name, alias, partial or Latin name: `qi`, `huang`), at most 25; generic
 * roles such as the audience are not offered. Value: the speaker's name.
 */
export function speakerChoices(library: Library, typed: string): Choice[] {
  return library.index
    .findSpeakers(typed, LIMITS.choices)
    .map(({ speaker }) => {
      const detail = [speaker.company, speaker.aliases.filter((a) => a !== speaker.name).slice(0, 2).join('/')].filter(Boolean).join(' · ');
      return { name: truncate(detail ? `${speaker.name} (${detail})` : speaker.name, LIMITS.choiceName), value: truncate(speaker.name, LIMITS.choiceValue) };
    });
}

/** Interviews matching what the user typed (title, id, publication, speaker), at most 25. Value: the interview id. */
export function sourceChoices(library: Library, typed: string): Choice[] {
  return rank(
    library.interviews,
    (interview) => [interview.title, interview.id, interview.publication ?? '', ...interview.speakers.map((s) => s.name)],
    typed,
    library.tokenizer.normalize,
  )
    .slice(0, LIMITS.choices)
    .map((interview) => ({ name: truncate(interview.title, LIMITS.choiceName), value: interview.id }));
}
