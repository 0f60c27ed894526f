/**
 * The product's routes beyond the queue admin API, listed explicitly (like jobs/registry.ts): invoices,
 * stopwatches and the Autotask webhook are added here as their issues land. `worker` passes this list to
 * buildServer as `extraRoutes`.
 */
import type { ExtraRoute } from '../types.js';
import { registerDetectionTuningRoutes } from './detection-tuning.js';
import { registerInvoiceRoutes } from './invoices.js';
import { registerProblemSuggestionRoutes } from './problem-suggestions.js';
import { registerStopwatchRoutes } from './stopwatches.js';
import { registerWebhookRoutes } from './webhooks.js';

export const productRoutes: ExtraRoute[] = [registerInvoiceRoutes, registerStopwatchRoutes, registerWebhookRoutes,
  registerProblemSuggestionRoutes, registerDetectionTuningRoutes];
