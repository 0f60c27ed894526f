/**
 * The in-memory tenant. Records are kept sorted by id per entity (docs/autotask-api.md#paging: results come in ascending id
 * order) with a Map beside them, so a page that starts at `id gt N` is found by binary search instead of a
 * scan — a 100,000-ticket tenant must answer each page in well under a millisecond of lookup.
 */
import { ENTITY_DEFS, entityDef } from './entities.js';
import { defaultPicklists } from './picklists.js';
import { createRng, type Rng } from './random.js';
import { SANDBOX_ENTITIES, type PicklistEntry, type Picklists, type SandboxEntity, type SandboxRecord, type TenantData } from './types.js';

type RecordMaker = (record: Record<string, unknown>) => Record<string, unknown>;
const makers = new Map<SandboxEntity, RecordMaker>();

/**
 * A compiled `r => ({ id: r.id ?? null, title: r.title ?? null, … })` per entity: one object literal with a
 * fixed shape is ~10x faster than assigning keys in a loop, which matters when loading 100,000+ records.
 * The names come from entities.ts (never from input), so the generated source is fixed.
 */
function maker(entity: SandboxEntity): RecordMaker {
  let make = makers.get(entity);
  if (!make) {
    const def = entityDef(entity);
    const parts = def.fields.map((f) => `${JSON.stringify(f.name)}: r[${JSON.stringify(f.name)}] ?? null`);
    if (def.udfs) parts.push('"userDefinedFields": r.userDefinedFields ?? []');
    make = new Function('r', `return { ${parts.join(', ')} };`) as RecordMaker;
    makers.set(entity, make);
  }
  return make;
}

class EntityTable {
  readonly rows: SandboxRecord[] = [];
  readonly byId = new Map<number, SandboxRecord>();

  /** Index of the first row whose id is ≥ `id`. */
  lowerBound(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.rows[mid] as SandboxRecord).id < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  put(record: SandboxRecord): void {
    const last = this.rows[this.rows.length - 1];
    if (!last || last.id < record.id) this.rows.push(record);
    else this.rows.splice(this.lowerBound(record.id), 0, record);
    this.byId.set(record.id, record);
  }

  remove(id: number): boolean {
    if (!this.byId.delete(id)) return false;
    this.rows.splice(this.lowerBound(id), 1);
    return true;
  }
}

/** Tenant-wide settings that change what Autotask accepts (docs/autotask-samples.md, "TimeEntries"). */
export interface TenantSettings {
  /** "Proxy Time Entry": the acting resource may create entries for other resources. */
  proxyTimeEntry: boolean;
  /** "Allow time entries to span over midnight" (judged in UTC here). */
  midnightSpan: boolean;
  /** Entities the API user's security level may not touch: every request to them answers the permission error. */
  deniedEntities: string[];
  /**
   * Writes with an ImpersonationResourceId are accepted: the technicians' security level has "Allow impersonation of
   * resources with this security level" and the API user's has Resource Impersonation rights. Autotask clears
   * the first by default (docs/autotask-samples.md, "Impersonation"); false answers such writes with the
   * permission error.
   */
  impersonation: boolean;
  /**
   * Field metadata as this tenant shows it, by "Entity.field": gone from the list, read-only or not queryable
   * (a tenant whose API version or security level differs from our picture).
   */
  fieldOverrides: Record<string, { missing?: boolean; readOnly?: boolean; queryable?: boolean }>;
  /** User-defined fields by entity, as `/{Entity}/entityInformation/userDefinedFields` lists them. */
  userDefinedFields: Record<string, Array<{ name: string; dataType: string }>>;
  /**
   * Store a time entry's startDateTime/endDateTime without their seconds, as real entries look (minute-aligned;
   * docs/autotask-samples.md, "TimeEntries and Resources"). Off by default: whether Autotask drops them is not known.
   */
  truncateSeconds: boolean;
}

export class TenantStore {
  private readonly tables = new Map<SandboxEntity, EntityTable>();
  /** Mutable: tests switch a setting off to see the refusal. */
  readonly settings: TenantSettings = { proxyTimeEntry: true, midnightSpan: true, deniedEntities: [], impersonation: true,
    fieldOverrides: {}, userDefinedFields: {}, truncateSeconds: false };
  readonly picklists: Picklists;
  readonly apiUserResourceId: number;
  private readonly idRng: Rng;
  private readonly ticketNumberSeq = new Map<string, number>();

  constructor(data: TenantData, seed = 1) {
    this.picklists = { ...defaultPicklists(), ...(data.picklists ?? {}) };
    this.apiUserResourceId = data.apiUserResourceId;
    this.idRng = createRng(seed ^ 0x5eed);
    for (const name of SANDBOX_ENTITIES) this.tables.set(name, new EntityTable());
    for (const name of SANDBOX_ENTITIES) {
      const given = data.records[name] ?? [];
      const rows = given.map((r) => this.complete(name, r)).sort((a, b) => a.id - b.id);
      const table = this.table(name);
      for (const row of rows) {
        if (table.byId.has(row.id)) throw new Error(`duplicate ${name} id ${row.id}`);
        table.rows.push(row);
        table.byId.set(row.id, row);
      }
    }
    for (const ticket of this.table('Tickets').rows) this.noteTicketNumber(ticket.ticketNumber);
  }

  private table(entity: SandboxEntity): EntityTable {
    const table = this.tables.get(entity);
    if (!table) throw new Error(`unknown sandbox entity ${entity}`);
    return table;
  }

  /**
   * Every field of the entity present, null when not given (Autotask answers with nulls, not missing keys).
   * Keys that are not fields of the entity are dropped (userDefinedFields is kept where the entity has UDFs).
   */
  private complete(entity: SandboxEntity, record: Record<string, unknown>): SandboxRecord {
    const out = maker(entity)(record);
    if (typeof out.id !== 'number' || !Number.isInteger(out.id)) throw new Error(`${entity} record without an integer id`);
    return out as SandboxRecord;
  }

  /** All records of an entity, ascending id. Do not mutate; use update(). */
  all(entity: SandboxEntity): readonly SandboxRecord[] {
    return this.table(entity).rows;
  }

  get(entity: SandboxEntity, id: number): SandboxRecord | undefined {
    return this.table(entity).byId.get(id);
  }

  count(entity: SandboxEntity): number {
    return this.table(entity).rows.length;
  }

  lowerBound(entity: SandboxEntity, id: number): number {
    return this.table(entity).lowerBound(id);
  }

  /** Ids grow with small gaps, as identity columns do when other writes fail or roll back. */
  nextId(entity: SandboxEntity): number {
    const rows = this.table(entity).rows;
    const last = rows[rows.length - 1];
    const base = last ? last.id : 1000;
    return base + 1 + (this.idRng.chance(0.2) ? this.idRng.int(1, 4) : 0);
  }

  /** Inserts a record as the tenant would hold it (for tests and scenarios: no validation). */
  insert(entity: SandboxEntity, record: Record<string, unknown>): SandboxRecord {
    const withId = { ...record, id: typeof record.id === 'number' && record.id > 0 ? record.id : this.nextId(entity) };
    const row = this.complete(entity, withId);
    if (this.table(entity).byId.has(row.id)) throw new Error(`${entity} ${row.id} exists`);
    this.table(entity).put(row);
    if (entity === 'Tickets') this.noteTicketNumber(row.ticketNumber);
    return row;
  }

  /** Changes fields of a stored record in place (for tests and the write path after validation). */
  update(entity: SandboxEntity, id: number, patch: Record<string, unknown>): SandboxRecord {
    const row = this.get(entity, id);
    if (!row) throw new Error(`${entity} ${id} does not exist`);
    for (const [key, value] of Object.entries(patch)) if (key !== 'id') row[key] = value;
    return row;
  }

  remove(entity: SandboxEntity, id: number): boolean {
    return this.table(entity).remove(id);
  }

  picklist(entity: SandboxEntity, field: string): PicklistEntry[] | undefined {
    return this.picklists[`${entity}.${field}`];
  }

  /** `T20260102.0007`: Autotask numbers tickets per creation day. */
  newTicketNumber(createDate: string): string {
    const day = createDate.slice(0, 10).replaceAll('-', '');
    const seq = (this.ticketNumberSeq.get(day) ?? 0) + 1;
    this.ticketNumberSeq.set(day, seq);
    return `T${day}.${String(seq).padStart(4, '0')}`;
  }

  private noteTicketNumber(value: unknown): void {
    if (typeof value !== 'string') return;
    const match = /^T(\d{8})\.(\d+)$/.exec(value);
    if (!match) return;
    const day = match[1] as string;
    const seq = Number(match[2]);
    if (seq > (this.ticketNumberSeq.get(day) ?? 0)) this.ticketNumberSeq.set(day, seq);
  }

  entities(): SandboxEntity[] {
    return [...ENTITY_DEFS.keys()];
  }
}
