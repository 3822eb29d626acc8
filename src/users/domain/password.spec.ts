import { generatePassword, hashPassword, passwordProblem, verifyPassword } from './password.js';

describe('console passwords', () => {
  it('hashes with scrypt and a fresh salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct horse battery', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse batterY', a)).resolves.toBe(false);
  });

  it.each([
    ['not a hash', 'plain'],
    ['another scheme', 'bcrypt$2$x$y$z$w'],
    ['a cost beyond the cap (unbounded work)', 'scrypt$1073741824$8$1$AAAA$AAAA'],
  ])('refuses %s', async (_label, stored) => {
    await expect(verifyPassword('anything', stored)).resolves.toBe(false);
  });

  it.each([
    ['short', 'must be at least 10 characters'],
    ['x'.repeat(201), 'must be at most 200 characters'],
    ['long enough!', null],
  ])('password rule for %j', (password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('generates one-time passwords that pass the rules and differ', () => {
    const a = generatePassword();
    expect(passwordProblem(a)).toBeNull();
    expect(a).not.toBe(generatePassword());
  });
});
