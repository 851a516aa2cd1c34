import { beforeEach, describe, expect, it } from 'vitest';
import { createPairing, normalizePairingCode, type Pairing } from '../../../companion/auth/pairing.js';
import { createTokenStore, type TokenStore } from '../../../companion/auth/tokens.js';
import { createUserStore } from '../../../companion/auth/users.js';
import { openAuthDb } from './open-auth-db.js';

function wrongCodeFor(code: string): string {
  // Same shape, different last character, so it reaches the database lookup.
  return code.slice(0, -1) + (code.endsWith('Z') ? 'Y' : 'Z');
}

describe('createPairing', () => {
  let db: ReturnType<typeof openAuthDb>;
  let at: number;
  let tokens: TokenStore;
  let pairing: Pairing;
  beforeEach(() => {
    db = openAuthDb();
    at = 1_700_000_000_000;
    const now = () => at;
    tokens = createTokenStore({ db, now });
    pairing = createPairing({ db, tokens, now, ttlMs: 10 * 60_000 });
  });

  it('makes 8-character codes from the unambiguous alphabet, stored hashed', () => {
    const { code, expiresAtMs } = pairing.createCode();
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/);
    expect(expiresAtMs).toBe(at + 10 * 60_000);
    expect(JSON.stringify(db.prepare('SELECT * FROM pairing_codes').all())).not.toContain(normalizePairingCode(code));
    expect(pairing.countActive()).toBe(1);
  });

  it('redeems a code once for a device token that verifies', () => {
    const { code } = pairing.createCode();
    const redeemed = pairing.redeem({ code, deviceName: 'Firefox on laptop', clientKey: '10.0.0.2' });
    if (!redeemed.ok) throw new Error(`Expected a token, got ${redeemed.error.kind}`);
    expect(redeemed.info).toMatchObject({ name: 'Firefox on laptop', kind: 'device', userId: null });
    expect(tokens.verify(redeemed.token)).toMatchObject({ id: redeemed.info.id, kind: 'device' });
    expect(pairing.redeem({ code, deviceName: 'again', clientKey: '10.0.0.2' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-code' },
    });
    expect(tokens.list()).toHaveLength(1);
    expect(pairing.countActive()).toBe(0);
  });

  it('accepts the code typed in lower case, with spaces, without the dash', () => {
    const { code } = pairing.createCode();
    const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
    expect(pairing.redeem({ code: typed, deviceName: 'Chrome', clientKey: 'c' })).toMatchObject({ ok: true });
  });

  it('gives the token to the user who created the code', async () => {
    const users = createUserStore({ db });
    const alice = await users.create({ name: 'alice', password: 'correct horse' });
    if (!alice.ok) throw new Error('setup');
    const { code } = pairing.createCode({ userId: alice.user.id });
    expect(pairing.redeem({ code, deviceName: 'Chrome', clientKey: 'c' })).toMatchObject({
      ok: true,
      info: { userId: alice.user.id },
    });
  });

  it('refuses an expired code', () => {
    const { code } = pairing.createCode();
    at += 10 * 60_000;
    expect(pairing.redeem({ code, deviceName: 'Chrome', clientKey: 'c' })).toMatchObject({
      ok: false,
      error: { kind: 'invalid-code' },
    });
    expect(tokens.list()).toEqual([]);
  });

  it('rate-limits wrong guesses per client, even when the next guess is right', () => {
    const { code } = pairing.createCode();
    for (let i = 0; i < 10; i++) {
      expect(pairing.redeem({ code: wrongCodeFor(code), deviceName: 'x', clientKey: 'attacker' })).toMatchObject({
        error: { kind: 'invalid-code' },
      });
    }
    const blocked = pairing.redeem({ code, deviceName: 'x', clientKey: 'attacker' });
    expect(blocked).toMatchObject({ ok: false, error: { kind: 'rate-limited' } });
    expect(blocked.ok === false && blocked.error.kind === 'rate-limited' && blocked.error.retryAfterMs).toBeGreaterThan(
      0,
    );
    expect(tokens.list()).toEqual([]);
    // Another client is not affected by the attacker's failures.
    expect(pairing.redeem({ code, deviceName: 'mine', clientKey: 'owner' })).toMatchObject({ ok: true });
  });

  it('120 wrong guesses from many addresses do not make pairing unusable for everyone', () => {
    const { code } = pairing.createCode();
    for (let i = 0; i < 120; i++) {
      pairing.redeem({ code: wrongCodeFor(code), deviceName: 'x', clientKey: `bot-${i % 12}` });
    }
    expect(pairing.redeem({ code, deviceName: 'mine', clientKey: 'owner' })).toMatchObject({ ok: true });
  });

  it('withdraws every live code after its wrong-guess allowance; a new code works at once', () => {
    const withdrawn: number[] = [];
    const strict = createPairing({
      db,
      tokens,
      now: () => at,
      maxWrongPerCode: 50,
      onWithdrawn: (count) => withdrawn.push(count),
    });
    const { code } = strict.createCode();
    for (let i = 0; i < 50; i++) strict.redeem({ code: wrongCodeFor(code), deviceName: 'x', clientKey: `bot-${i}` });
    expect(strict.countActive()).toBe(0);
    expect(withdrawn).toEqual([1]);
    expect(strict.redeem({ code, deviceName: 'x', clientKey: 'owner' })).toMatchObject({
      error: { kind: 'invalid-code' },
    });
    const fresh = strict.createCode();
    expect(strict.redeem({ code: fresh.code, deviceName: 'x', clientKey: 'owner' })).toMatchObject({ ok: true });
  });

  it('keeps at most five live codes, retiring the oldest', () => {
    const codes = Array.from({ length: 6 }, () => {
      at += 1;
      return pairing.createCode().code;
    });
    expect(pairing.countActive()).toBe(5);
    expect(pairing.redeem({ code: codes[0] ?? '', deviceName: 'x', clientKey: 'c' })).toMatchObject({ ok: false });
    expect(pairing.redeem({ code: codes[5] ?? '', deviceName: 'x', clientKey: 'c' })).toMatchObject({ ok: true });
  });

  it('refuses a bad device name without spending the code', () => {
    const { code } = pairing.createCode();
    expect(pairing.redeem({ code, deviceName: ' ', clientKey: 'c' })).toMatchObject({
      error: { kind: 'invalid-name' },
    });
    expect(pairing.redeem({ code, deviceName: 'ok', clientKey: 'c' })).toMatchObject({ ok: true });
  });
});
