import { describe, expect, it } from 'vitest';
import { isSettled, provisionProgress } from './provision-progress';

const states = (
  status: Parameters<typeof provisionProgress>[0]['status'],
  step: Parameters<typeof provisionProgress>[0]['step'],
) => provisionProgress({ status, step }).map((s) => s.state);

describe('provisionProgress', () => {
  it('has every step pending while queued', () => {
    expect(states('pending', null)).toEqual(['pending', 'pending', 'pending', 'pending']);
  });

  it('marks earlier steps done, the named one current and later ones pending while preparing', () => {
    expect(states('preparing', 'migrate')).toEqual(['done', 'current', 'pending', 'pending']);
    expect(states('preparing', 'finish')).toEqual(['done', 'done', 'done', 'current']);
  });

  it('starts at the first step when preparing has not named one yet', () => {
    expect(states('preparing', null)).toEqual(['current', 'pending', 'pending', 'pending']);
  });

  it('marks the failed step and leaves the later ones pending', () => {
    expect(states('failed', 'seed')).toEqual(['done', 'done', 'failed', 'pending']);
    expect(states('failed', null)).toEqual(['failed', 'pending', 'pending', 'pending']);
  });

  it('has every step done once ready (or later)', () => {
    expect(states('ready', 'finish')).toEqual(['done', 'done', 'done', 'done']);
    expect(states('suspended', null)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('labels steps with the shared labels, in order', () => {
    expect(provisionProgress({ status: 'pending', step: null }).map((s) => s.step)).toEqual([
      'create_schema',
      'migrate',
      'seed',
      'finish',
    ]);
    expect(provisionProgress({ status: 'pending', step: null })[0]?.label).toBe('Creating the database schema');
  });
});

describe('isSettled', () => {
  it('is true where the status stream ends', () => {
    expect(['pending', 'preparing'].map((s) => isSettled(s as 'pending'))).toEqual([false, false]);
    expect(['ready', 'failed', 'suspended'].map((s) => isSettled(s as 'ready'))).toEqual([true, true, true]);
  });
});
