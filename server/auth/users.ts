import 'server-only';
import { APIError } from 'better-auth/api';
import { ProcLensError } from '@/domain/errors';
import { getAuth, MIN_PASSWORD_LENGTH } from './auth';
import { isRoleName, ROLE_NAMES, type RoleName } from './roles';

/** A person's details (or the bootstrap's flags) that cannot make a user. */
export class UserInputError extends ProcLensError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Creates a person who can sign in (the bootstrap path: no browser, no session needed). */
export async function createPerson(input: {
  email: string;
  role: string;
  password: string;
  name?: string;
}): Promise<{ id: string; email: string; role: RoleName }> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) throw new UserInputError(`"${input.email}" is not an email address.`);
  if (!isRoleName(input.role)) throw new UserInputError(`--role must be one of ${ROLE_NAMES.join(', ')}.`);
  if (input.password.length < MIN_PASSWORD_LENGTH)
    throw new UserInputError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  const auth = await getAuth();
  try {
    const { user } = await auth.api.createUser({
      body: { email, password: input.password, name: input.name?.trim() || email.split('@')[0]!, role: input.role },
    });
    return { id: user.id, email: user.email, role: input.role };
  } catch (e) {
    if (e instanceof APIError) {
      const msg = String(e.body?.message ?? e.message);
      if (/exist/i.test(msg)) throw new UserInputError(`A user with the email ${email} already exists.`);
      throw new UserInputError(`Could not create the user: ${msg}`);
    }
    throw e;
  }
}
