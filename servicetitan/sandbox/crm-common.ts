import { z } from 'zod';
import type { SandboxContext } from './context.js';
import { badRequest, notFound } from './errors.js';
import { readExternalData } from './external-data.js';
import type { Address, Contact, Customer, CustomField, Location, TenantData } from './state.js';

// Shapes shared by customers and locations: addresses, contacts, custom fields, phone matching.

export const CONTACT_TYPES = ['Phone', 'Email', 'Fax', 'MobilePhone'] as const;

export const addressSchema = z.object({
  street: z.string().min(1),
  unit: z.string().nullish(),
  city: z.string().min(1),
  state: z.string().min(1),
  zip: z.string().min(1),
  country: z.string().min(1),
  latitude: z.number().nullish(),
  longitude: z.number().nullish(),
});

export const newContactSchema = z.object({
  type: z.enum(CONTACT_TYPES),
  value: z.string().min(1),
  memo: z.string().nullish(),
});

export const customFieldSchema = z.object({ typeId: z.number().int(), value: z.string().nullish() });

export function toAddress(a: z.infer<typeof addressSchema>): Address {
  return {
    street: a.street,
    unit: a.unit ?? null,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    latitude: a.latitude ?? null,
    longitude: a.longitude ?? null,
  };
}

export function toContacts(
  ctx: SandboxContext,
  contacts: z.infer<typeof newContactSchema>[] | null | undefined,
): Contact[] {
  const now = ctx.now();
  return (contacts ?? []).map((c) => ({
    id: ctx.nextId(),
    type: c.type,
    value: c.value,
    memo: c.memo ?? null,
    createdOn: now,
    modifiedOn: now,
  }));
}

export function toCustomFields(
  fields: z.infer<typeof customFieldSchema>[] | null | undefined,
): CustomField[] {
  return (fields ?? []).map((f) => ({ typeId: f.typeId, value: f.value ?? '' }));
}

/** Tag type ids must name existing tag types. */
export function checkTagTypes(
  tenant: TenantData,
  ids: number[] | null | undefined,
  field = 'tagTypeIds',
): number[] {
  const list = [...new Set(ids ?? [])];
  for (const id of list) {
    if (!tenant.tagTypes.has(id)) throw badRequest(field, `Tag type with id ${id} was not found.`);
  }
  return list;
}

export function addressResponse(a: Address) {
  return { ...a };
}

export function customFieldsResponse(fields: CustomField[]) {
  return fields.map((f) => ({ typeId: f.typeId, name: null, value: f.value }));
}

export function contactResponse(c: Contact) {
  return { id: c.id, type: c.type, value: c.value, memo: c.memo };
}

export function contactWithDatesResponse(c: Contact) {
  const isPhone = c.type === 'Phone' || c.type === 'MobilePhone';
  return {
    ...contactResponse(c),
    modifiedOn: c.modifiedOn,
    createdOn: c.createdOn,
    phoneSettings: { phoneNumber: isPhone ? c.value : '', doNotText: false },
    preferences: {
      jobRemindersEnabled: true,
      marketingUpdatesEnabled: false,
      invoiceStatementNotification: false,
    },
  };
}

export function locationResponse(l: Location, guid: string | undefined) {
  return {
    id: l.id,
    customerId: l.customerId,
    active: l.active,
    name: l.name,
    address: addressResponse(l.address),
    customFields: customFieldsResponse(l.customFields),
    createdOn: l.createdOn,
    createdById: l.createdById,
    modifiedOn: l.modifiedOn,
    mergedToId: l.mergedToId,
    zoneId: l.zoneId,
    taxExempt: l.taxExempt,
    tagTypeIds: [...l.tagTypeIds],
    externalData: readExternalData(l.externalData, guid),
    taxZoneId: l.taxZoneId,
  };
}

export function createdLocationResponse(l: Location, guid: string | undefined) {
  return { ...locationResponse(l, guid), contacts: l.contacts.map(contactResponse) };
}

/** Copies contacts onto the customer unless it already has the same type and value (ST copies a new location's contacts). */
export function copyContactsToCustomer(ctx: SandboxContext, customer: Customer, contacts: Contact[]): void {
  for (const c of contacts) {
    const exists = customer.contacts.some((k) => k.type === c.type && k.value === c.value);
    if (!exists) customer.contacts.push({ ...c, id: ctx.nextId() });
  }
}

/** The last ten digits of a phone number in any format ("+1 (512) 555-0142" → "5125550142"). */
export function phoneKey(value: string): string {
  return value.replace(/\D/g, '').slice(-10);
}

export function isPhoneContact(c: Contact): boolean {
  return c.type === 'Phone' || c.type === 'MobilePhone';
}

/** Whether any phone contact matches `wanted` (digits; suffix match when fewer than ten digits were given). */
export function phoneMatches(contacts: Contact[], wanted: string): boolean {
  if (wanted === '') return false;
  return contacts.some((c) => {
    if (!isPhoneContact(c)) return false;
    const key = phoneKey(c.value);
    return wanted.length >= 10 ? key === wanted : key.endsWith(wanted);
  });
}

interface Taggable {
  tagTypeIds: number[];
  modifiedOn: string;
}

/** `POST …/tags/{tagTypeId}` on a customer or location: the tag type must exist and be active; adding twice is a no-op. */
export function addTag(
  ctx: SandboxContext,
  tenant: TenantData,
  entity: Taggable,
  tagTypeId: number,
): number[] {
  const tagType = tenant.tagTypes.get(tagTypeId);
  if (!tagType) throw notFound(`Tag type with id ${tagTypeId} was not found.`, 'tagTypeId');
  if (!tagType.active) throw badRequest('tagTypeId', `Tag type ${tagTypeId} is inactive.`);
  if (!entity.tagTypeIds.includes(tagTypeId)) {
    entity.tagTypeIds.push(tagTypeId);
    entity.modifiedOn = ctx.now();
  }
  return [...entity.tagTypeIds];
}

/** `DELETE …/tags/{tagTypeId}` on a customer or location: removing a tag it does not have is a no-op. */
export function removeTag(ctx: SandboxContext, entity: Taggable, tagTypeId: number): void {
  if (!entity.tagTypeIds.includes(tagTypeId)) return;
  entity.tagTypeIds = entity.tagTypeIds.filter((t) => t !== tagTypeId);
  entity.modifiedOn = ctx.now();
}
