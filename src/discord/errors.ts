/**
 * An expected condition the member should read ("no paper matches …"), as opposed to a bug.
 * The router shows a UserError's message ephemerally; anything else is logged and apologised for.
 */
export class UserError extends Error {
  override name = 'UserError';
}
