import { describe, expect, it } from 'vitest';
import { createKnownClients } from '../../../companion/auth/known-clients.js';
import { createLoginGuard } from '../../../companion/auth/login-guard.js';
import { openAuthDb } from './open-auth-db.js';

describe('createLoginGuard', () => {
  it('600 guesses from 60 addresses: at most 100 are evaluated in the window', () => {
    let at = 1_700_000_000_000;
    const guard = createLoginGuard({ now: () => at });
    let evaluated = 0;
    for (let i = 0; i < 600; i++) {
      const attempt = { address: `198.51.100.${i % 60}`, name: 'admin', secret: `guess-${i}` };
      if (guard.check(attempt).limited) continue;
      evaluated++;
      guard.failed(attempt);
    }
    expect(evaluated).toBeLessThanOrEqual(100);
    at += 15 * 60_000 + 1;
    expect(guard.check({ address: '198.51.100.1', name: 'admin', secret: 'next' }).limited).toBe(false);
  });

  it('guessing many names from many addresses is capped in total', () => {
    const guard = createLoginGuard();
    let evaluated = 0;
    for (let i = 0; i < 600; i++) {
      const attempt = { address: `203.0.113.${i % 60}`, name: `user${i}`, secret: 'x' };
      if (guard.check(attempt).limited) continue;
      evaluated++;
      guard.failed(attempt);
    }
    expect(evaluated).toBe(100);
  });

  it('never locks the owner out: credentials that worked before pass every limit', () => {
    const guard = createLoginGuard();
    const owner = { address: '10.0.0.1', name: 'Admin', secret: 'correct horse battery' };
    expect(guard.check(owner).limited).toBe(false);
    guard.succeeded(owner);
    for (let i = 0; i < 200; i++) guard.failed({ address: '10.0.0.1', name: 'admin' });
    expect(guard.check({ ...owner, secret: 'a new guess' }).limited).toBe(true);
    expect(guard.check(owner).limited).toBe(false);
    expect(guard.check({ ...owner, address: '10.0.0.99', name: 'ADMIN' }).limited).toBe(false);
  });

  it('one address guessing one name does not block another name from that address', () => {
    const guard = createLoginGuard();
    for (let i = 0; i < 10; i++) guard.failed({ address: 'proxy', name: 'alice' });
    expect(guard.check({ address: 'proxy', name: 'alice', secret: 'x' }).limited).toBe(true);
    expect(guard.check({ address: 'proxy', name: 'bob', secret: 'x' }).limited).toBe(false);
  });
});

describe('createLoginGuard with known client addresses', () => {
  it('after a restart, a distributed attack still does not keep the owner out of their usual address', () => {
    const db = openAuthDb();
    const first = createLoginGuard({ knownClients: createKnownClients({ db }) });
    first.succeeded({ address: '192.168.1.20', name: 'admin', secret: 'correct horse battery' });
    // A restart forgets the remembered credentials; the address is in the database.
    const guard = createLoginGuard({ knownClients: createKnownClients({ db }) });
    for (let i = 0; i < 600; i++) guard.failed({ address: `198.51.100.${i % 60}`, name: 'admin' });
    const owner = { address: '192.168.1.20', name: 'ADMIN', secret: 'correct horse battery' };
    expect(guard.check(owner).limited).toBe(false);
    expect(guard.check({ ...owner, address: '192.168.1.21' }).limited).toBe(true);
    // The usual address still has its own limit: it cannot be used to guess without end.
    for (let i = 0; i < 10; i++) guard.failed({ address: '192.168.1.20', name: 'admin' });
    expect(guard.check({ ...owner, secret: 'guess' }).limited).toBe(true);
    expect(JSON.stringify(db.prepare('SELECT * FROM login_clients').all())).not.toContain('correct horse');
  });
});
