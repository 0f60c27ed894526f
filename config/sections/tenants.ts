import { z } from 'zod';

const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (secrets never live in the file)');

/**
 * Extra tenants. The file names the environment variables that hold each tenant's credentials; the default
 * tenant comes from the AUTOTASK_* variables of INTERFACE.md.
 */
export const tenantEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -'),
  usernameEnv: envName,
  secretEnv: envName,
  integrationCodeEnv: envName,
  impersonationResourceIdEnv: envName.optional(),
  zoneUrl: z.url().optional(),
  baseUrl: z.url().optional(),
});

export const tenantsSection = z.array(tenantEntry).default([]);
