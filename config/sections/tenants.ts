import { z } from 'zod';

/** The tenant's Autotask endpoints are HTTP(S); a file: or javascript: URL is refused at load. */
const httpUrl = () => z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' });
const envName = z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name (secrets never live in the file)');

/**
 * Extra tenants. The file names the environment variables that hold each tenant's credentials; the default
 * tenant comes from the AUTOTASK_* variables of docs/contract.md#environment.
 */
export const tenantEntry = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -').describe('tenant id used in job data, keys and metrics'),
  usernameEnv: envName.describe('name of the environment variable holding the API user name'),
  secretEnv: envName.describe('name of the environment variable holding the secret'),
  integrationCodeEnv: envName.describe('name of the environment variable holding the integration code'),
  impersonationResourceIdEnv: envName.optional().describe('name of the variable holding ImpersonationResourceId'),
  webhookSecretEnv: envName.optional().describe('name of the variable holding this tenant\'s own webhook secret (unset = its webhooks are refused)'),
  zoneUrl: httpUrl().optional().describe('zone discovery URL (default AUTOTASK_ZONE_URL)'),
  baseUrl: httpUrl().optional().describe('REST root; skips zone discovery'),
});

export const tenantsSection = z.array(tenantEntry).default([]).describe('extra tenants; secrets stay in the environment');
