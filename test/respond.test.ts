/** How an answer goes out (`respond.ts`): a private answer is never made public by editing a public placeholder. */
import { describe, expect, it } from 'vitest';
import { planReply, type AckState } from '../src/bot/respond.ts';

describe('planReply', () => {
  it('decides every (state, ephemeral) pair, and a private answer is never an edit of a public placeholder', () => {
    const table: Array<[AckState, boolean, string]> = [
      ['new', false, 'reply'],
      ['new', true, 'reply'],
      ['deferred-public', false, 'edit-placeholder'],
      ['deferred-public', true, 'private-follow-up-and-delete-placeholder'],
      ['deferred-ephemeral', false, 'edit-placeholder'],
      ['deferred-ephemeral', true, 'edit-placeholder'],
      ['replied', false, 'follow-up'],
      ['replied', true, 'follow-up'],
    ];
    for (const [state, ephemeral, action] of table) {
      const plan = planReply(state, ephemeral);
      expect(plan.action, `${state} ${ephemeral}`).toBe(action);
      expect(plan.next).toBe('replied');
    }
  });
});
