import { z } from 'zod';
import { Email } from './user.js';

/**
 * The password policy of Tenantry's user pools (the local pool is created with it). A real pool must
 * be configured with the same policy, so the SPA's checklist and Cognito agree.
 */
export const PASSWORD_POLICY = {
  minLength: 8,
  requireUppercase: true,
  requireLowercase: true,
  requireNumbers: true,
  requireSymbols: false,
} as const;

export type PasswordRule = 'minLength' | 'uppercase' | 'lowercase' | 'number';

export const PASSWORD_RULES: ReadonlyArray<{ rule: PasswordRule; label: string; test: (p: string) => boolean }> = [
  {
    rule: 'minLength',
    label: `At least ${PASSWORD_POLICY.minLength} characters`,
    test: (p) => p.length >= PASSWORD_POLICY.minLength,
  },
  { rule: 'uppercase', label: 'An uppercase letter', test: (p) => /[A-Z]/.test(p) },
  { rule: 'lowercase', label: 'A lowercase letter', test: (p) => /[a-z]/.test(p) },
  { rule: 'number', label: 'A number', test: (p) => /[0-9]/.test(p) },
];

/** Each rule with whether the password meets it: the SPA shows this as you type. */
export function passwordChecklist(password: string): Array<{ rule: PasswordRule; label: string; met: boolean }> {
  return PASSWORD_RULES.map(({ rule, label, test }) => ({ rule, label, met: test(password) }));
}

/** A new password: every unmet rule is its own issue, so forms list them all. */
export const NewPassword = z
  .string()
  .max(256, 'At most 256 characters')
  .superRefine((password, ctx) => {
    for (const { label, test } of PASSWORD_RULES) {
      if (!test(password)) ctx.addIssue({ code: 'custom', message: `${label} is required` });
    }
  });

export const ConfirmationCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from the email');

export const SignUpInput = z.object({
  email: Email,
  password: NewPassword,
  name: z.string().trim().min(1, 'Enter your name').max(128, 'At most 128 characters'),
});
export type SignUpInput = z.infer<typeof SignUpInput>;

export const ConfirmSignUpInput = z.object({ email: Email, code: ConfirmationCode });
export type ConfirmSignUpInput = z.infer<typeof ConfirmSignUpInput>;

export const EmailOnlyInput = z.object({ email: Email });
export type EmailOnlyInput = z.infer<typeof EmailOnlyInput>;

export const RefreshInput = z.object({
  refreshToken: z.string().min(1),
  /**
   * The user's Cognito username (the `sub` of the ID token, or `username` of the access token). With a
   * confidential app client, Cognito computes the refresh call's SECRET_HASH over it; the API reads it
   * from the refresh token when it can (the emulator's are JWTs, real Cognito's are encrypted).
   */
  username: z.string().min(1).max(128).optional(),
});
export type RefreshInput = z.infer<typeof RefreshInput>;

export const ConfirmForgotPasswordInput = z.object({ email: Email, code: ConfirmationCode, newPassword: NewPassword });
export type ConfirmForgotPasswordInput = z.infer<typeof ConfirmForgotPasswordInput>;

export const ChangePasswordInput = z.object({
  currentPassword: z.string().min(1, 'Enter your current password'),
  newPassword: NewPassword,
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInput>;

export const SignOutInput = z.object({ refreshToken: z.string().min(1) });
export type SignOutInput = z.infer<typeof SignOutInput>;

/** Tokens from `auth.signIn` / `auth.refresh` (refresh keeps the refresh token the caller has). */
export const AuthTokens = z.object({
  accessToken: z.string(),
  idToken: z.string(),
  refreshToken: z.string().optional(),
  /** Seconds until the access token expires. */
  expiresIn: z.number().int(),
});
export type AuthTokens = z.infer<typeof AuthTokens>;

/** Where a code was sent (masked), from sign-up, resend and forgot-password. */
export const CodeDelivery = z.object({
  destination: z.string().nullable(),
  medium: z.enum(['EMAIL', 'SMS']).nullable(),
});
export type CodeDelivery = z.infer<typeof CodeDelivery>;
