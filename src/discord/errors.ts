/** An expected condition the member should read ("no paper matches …"), shown ephemerally; anything else is a bug. */
export class UserError extends Error {
  override name = 'UserError';
}
