import { z } from 'zod';
import { atDateTimeOrNull, atId, atIdOrNull, atNumberOrNull, atTextOrNull } from './common.js';

/** docs/autotask-api.md#time-entries: ticketID, resourceID, roleID, dateWorked, 0 < hoursWorked ≤ 24, summaryNotes. */
export const timeEntrySchema = z.looseObject({
  id: atId,
  ticketID: atIdOrNull,
  taskID: atIdOrNull,
  resourceID: atId,
  roleID: atIdOrNull,
  dateWorked: atDateTimeOrNull,
  startDateTime: atDateTimeOrNull,
  endDateTime: atDateTimeOrNull,
  hoursWorked: atNumberOrNull,
  summaryNotes: atTextOrNull,
  internalNotes: atTextOrNull,
  lastModifiedDateTime: atDateTimeOrNull,
});
export type TimeEntry = z.infer<typeof timeEntrySchema>;
