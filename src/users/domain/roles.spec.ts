import { hasRole, ROLES, type Role } from './roles.js';

describe('roles', () => {
  const table: [Role, Role, boolean][] = ROLES.flatMap((role, i) => ROLES.map((required, j): [Role, Role, boolean] => [role, required, i >= j]));
  it.each(table)('%s may do what %s may: %s', (role, required, allowed) => {
    expect(hasRole(role, required)).toBe(allowed);
  });
});
