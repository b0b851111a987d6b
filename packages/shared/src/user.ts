import { z } from 'zod';

export const Email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Enter a valid email address' }));

/** The signed-in user as the API returns it from `auth.me`. */
export const Me = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  isSuperadmin: z.boolean(),
  groups: z.array(z.string()),
  createdAt: z.iso.datetime(),
});
export type Me = z.infer<typeof Me>;

/** Credentials typed into the sign-in form. */
export const SignInInput = z.object({
  email: Email,
  password: z.string().min(1, 'Enter your password'),
});
export type SignInInput = z.infer<typeof SignInInput>;
