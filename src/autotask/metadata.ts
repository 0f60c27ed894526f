/**
 * Entity metadata (docs/autotask-api.md#metadata): `GET /V1.0/{Entity}/entityInformation` and
 * `/entityInformation/fields` with picklists. Picklists differ per tenant, so they are read at run time and
 * cached per client (one client per tenant). A failed read is not cached. Picklist values arrive as strings
 * and are normalised to numbers by the schema (records carry numbers).
 */
import { InputError } from '../lib/errors.js';
import { MalformedAnswer, type Requester } from './request.js';
import { entityInformationSchema, fieldInformationSchema, type EntityInformation, type EntityName, type FieldInformation,
  type PicklistValue } from './schemas/index.js';
import { validateWith } from './validate.js';

/** Autotask wraps entityInformation as `{"info":{…}}`; a bare object is accepted too. */
function unwrapInfo(body: unknown): unknown {
  if (!body || typeof body !== 'object') throw new MalformedAnswer('entityInformation answer is not an object');
  const info = (body as { info?: unknown }).info;
  return info && typeof info === 'object' ? info : body;
}

/** `/entityInformation/fields` answers `{"fields":[…]}`; a bare array is accepted too. */
function unwrapFields(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const fields = body && typeof body === 'object' ? (body as { fields?: unknown }).fields : undefined;
  if (!Array.isArray(fields)) throw new MalformedAnswer('entityInformation/fields answer without a fields array');
  return fields;
}

export class MetadataCache {
  private readonly info = new Map<EntityName, Promise<EntityInformation>>();
  private readonly fieldLists = new Map<EntityName, Promise<FieldInformation[]>>();

  constructor(private readonly requester: Requester) {}

  entityInformation(entity: EntityName): Promise<EntityInformation> {
    return this.cached(this.info, entity, async () => {
      const raw = await this.requester.execute({ method: 'GET', endpoint: entity, path: `V1.0/${entity}/entityInformation`,
        operation: 'read', parse: unwrapInfo });
      return validateWith(entityInformationSchema, `${entity}/entityInformation`, raw, null);
    });
  }

  /** `signal` aborts the read for every caller waiting on it (a failed read is not cached): for shutdown. */
  fields(entity: EntityName, signal?: AbortSignal): Promise<FieldInformation[]> {
    return this.cached(this.fieldLists, entity, async () => {
      const raw = await this.requester.execute({ method: 'GET', endpoint: entity,
        path: `V1.0/${entity}/entityInformation/fields`, operation: 'read', parse: unwrapFields, signal });
      return raw.map((field, index) => {
        const name = field && typeof field === 'object' ? (field as { name?: unknown }).name : undefined;
        return validateWith(fieldInformationSchema, `${entity}/entityInformation/fields[${typeof name === 'string' ? name : index}]`,
          field, null);
      });
    });
  }

  /**
   * The entity's user-defined fields: `GET /V1.0/{Entity}/entityInformation/userDefinedFields`, the same shape as
   * /fields (docs/autotask-api.md#metadata). Not cached: only the doctor reads it.
   */
  async userDefinedFields(entity: EntityName): Promise<FieldInformation[]> {
    const raw = await this.requester.execute({ method: 'GET', endpoint: entity,
      path: `V1.0/${entity}/entityInformation/userDefinedFields`, operation: 'read', parse: unwrapFields });
    return raw.map((field, index) => validateWith(fieldInformationSchema, `${entity}/entityInformation/userDefinedFields[${index}]`, field, null));
  }

  /** Active values of one picklist field. Field names are case-insensitive in Autotask. */
  async picklist(entity: EntityName, field: string, signal?: AbortSignal): Promise<PicklistValue[]> {
    const fields = await this.fields(entity, signal);
    const wanted = field.toLowerCase();
    const info = fields.find((candidate) => candidate.name.toLowerCase() === wanted);
    if (!info) throw new InputError(`${entity} has no field ${field}`, { entity, field });
    if (!info.isPickList) throw new InputError(`${entity}.${info.name} is not a picklist`, { entity, field: info.name });
    return info.picklistValues.filter((value) => value.isActive);
  }

  private cached<K, V>(map: Map<K, Promise<V>>, key: K, load: () => Promise<V>): Promise<V> {
    const hit = map.get(key);
    if (hit) return hit;
    const promise = load();
    map.set(key, promise);
    promise.catch(() => map.delete(key));
    return promise;
  }
}
