/**
 * Organisation users' roles, each including the ones before it: a viewer reads; a member creates and manages
 * envelopes; an admin does everything in the organisation incl. API keys and webhook endpoints; an owner
 * also manages users.
 */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return ROLES.includes(value as Role);
}

/** Whether `role` includes everything `required` may do. */
export function hasRole(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
