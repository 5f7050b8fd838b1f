import { findLedgerEntry, orderScope, recordLedgerEntry } from '../db/ledger.js';
import { recordOrderStep } from '../db/orders.js';
import type { Address } from '../domain/address.js';
import {
  type CustomerCandidate,
  decideNameAddressMatch,
  decidePhoneMatch,
  type MatchDecision,
} from '../domain/customer-match.js';
import { customerDisplayName, namesMatch } from '../domain/names.js';
import type { Order } from '../domain/order.js';
import { nationalDigits } from '../domain/phone.js';
import { SyncErrorType } from '../domain/sync-errors.js';
import type { ServiceTitanClient } from '../servicetitan/client.js';
import type { Customer } from '../servicetitan/crm.js';
import type { OrderSyncActivities, ResolveCustomerResult } from './contracts.js';
import { type ActivityDeps, loadOrder, tenantContext } from './deps.js';
import { ExternalKey } from './external-keys.js';
import { permanentFailure } from './failures.js';
import { describeAddress, fromServiceTitanAddress, toServiceTitanAddress } from './st-address.js';

export function createCustomerActivities(deps: ActivityDeps): Pick<OrderSyncActivities, 'resolveCustomer'> {
  return {
    /**
     * Finds the order's ServiceTitan customer (phone first, then name and address) or creates it
     * with its location and contacts in one call. Idempotent: the ledger, then our externalData
     * marker, are checked before anything is created.
     */
    async resolveCustomer({ tenantId, orderId, createCustomers, choice }): Promise<ResolveCustomerResult> {
      const ledgerKey = { tenantId, scope: orderScope(orderId), step: 'customer' };
      const known = await findLedgerEntry(deps.db, ledgerKey);
      if (known) {
        return {
          outcome: known.created ? 'created' : 'matched',
          customerId: known.stEntityId,
          locationId: typeof known.details?.locationId === 'number' ? known.details.locationId : null,
          reason: String(known.details?.reason ?? 'recorded by an earlier attempt'),
        };
      }
      const { serviceTitan } = await tenantContext(deps, tenantId);
      const order = await loadOrder(deps, tenantId, orderId);

      const finish = async (result: Extract<ResolveCustomerResult, { customerId: number }>) => {
        await recordLedgerEntry(deps.db, ledgerKey, {
          stEntityId: result.customerId,
          created: result.outcome === 'created',
          details: { locationId: result.locationId, reason: result.reason },
        });
        if (result.outcome === 'created' && result.locationId !== null) {
          await recordLedgerEntry(
            deps.db,
            { ...ledgerKey, step: 'location' },
            { stEntityId: result.locationId, created: true, details: null },
          );
        }
        await recordOrderStep(
          deps.db,
          tenantId,
          orderId,
          'customer',
          { state: 'done', ids: { customerId: result.customerId }, detail: result.reason },
          { stCustomerId: result.customerId },
        );
        return result;
      };

      // A create whose response was lost left our marker behind: adopt that customer. Looked up only
      // on the way to a create (or a park): a match found by phone or name needs no extra call.
      const adoptPreviouslyCreated = async () => {
        const [previouslyCreated] = await serviceTitan.crm.customers.findByExternalData(
          ExternalKey.storeOrder,
          orderId,
        );
        return previouslyCreated
          ? finish({
              outcome: 'created',
              customerId: previouslyCreated.id,
              locationId: null,
              reason: 'created by an earlier attempt',
            })
          : null;
      };

      if (choice && 'customerId' in choice) {
        const chosen = await serviceTitan.crm.customers.get(choice.customerId);
        if (!chosen.active) {
          throw permanentFailure(
            SyncErrorType.CustomerNotFound,
            `Customer ${choice.customerId} chosen by the operator is inactive in ServiceTitan; choose an active one.`,
          );
        }
        return finish({
          outcome: 'matched',
          customerId: chosen.id,
          locationId: null,
          reason: 'chosen by an operator',
        });
      }

      if (!choice) {
        const decision = await matchExistingCustomer(serviceTitan, order);
        if (decision.kind === 'match')
          return finish({
            outcome: 'matched',
            customerId: decision.customerId,
            locationId: null,
            reason: decision.reason,
          });
        const adopted = await adoptPreviouslyCreated();
        if (adopted) return adopted;
        if (decision.kind === 'ambiguous') {
          const candidates = await Promise.all(
            decision.candidateIds.map((id) => serviceTitan.crm.customers.get(id)),
          );
          await recordOrderStep(deps.db, tenantId, orderId, 'customer', {
            state: 'waiting',
            detail: decision.reason,
            candidates: candidates.map(summarise),
          });
          return { outcome: 'ambiguous', candidates: candidates.map(summarise), reason: decision.reason };
        }
        if (!createCustomers) {
          throw permanentFailure(
            SyncErrorType.CustomerNotFound,
            `No ServiceTitan customer matches ${customerDisplayName(order.customer.firstName, order.customer.lastName)} (phone or name and address), and creating customers is switched off. Create the customer in ServiceTitan, or turn on "createCustomers", then retry.`,
          );
        }
      }

      if (choice) {
        const adopted = await adoptPreviouslyCreated();
        if (adopted) return adopted;
      }
      const created = await serviceTitan.crm.customers.create(newCustomerBody(serviceTitan, order));
      const location = created.locations[0];
      return finish({
        outcome: 'created',
        customerId: created.id,
        locationId: location?.id ?? null,
        reason: choice ? "created at an operator's request" : 'no existing customer matched',
      });
    },
  };
}

async function matchExistingCustomer(serviceTitan: ServiceTitanClient, order: Order): Promise<MatchDecision> {
  const identity = {
    firstName: order.customer.firstName,
    lastName: order.customer.lastName,
    serviceAddress: order.serviceAddress,
  };
  const digits = nationalDigits(order.customer.phone);
  if (digits) {
    const byPhone = await serviceTitan.crm.customers.listAll({ phone: digits, active: 'True' });
    if (byPhone.length === 1)
      return decidePhoneMatch(
        byPhone.map((c) => ({ id: c.id, name: c.name, addresses: [] })),
        identity,
      );
    if (byPhone.length > 1) return decidePhoneMatch(await withLocations(serviceTitan, byPhone), identity);
  }
  const byName = await serviceTitan.crm.customers.listAll({ name: order.customer.lastName, active: 'True' });
  const sameName = byName.filter((c) =>
    namesMatch(c.name, order.customer.firstName, order.customer.lastName),
  );
  return decideNameAddressMatch(await withLocations(serviceTitan, sameName), identity);
}

/** Candidates with every address they have: the bill-to address and their locations'. */
async function withLocations(
  serviceTitan: ServiceTitanClient,
  customers: Customer[],
): Promise<CustomerCandidate[]> {
  return Promise.all(
    customers.map(async (customer) => {
      const locations = await serviceTitan.crm.locations.listAll({ customerId: customer.id, active: 'True' });
      const addresses = [customer.address, ...locations.map((l) => l.address)]
        .map(fromServiceTitanAddress)
        .filter((a): a is Address => a !== null);
      return { id: customer.id, name: customer.name, addresses };
    }),
  );
}

function summarise(customer: Customer) {
  return {
    id: customer.id,
    name: customer.name,
    address: describeAddress(fromServiceTitanAddress(customer.address)),
  };
}

function newCustomerBody(serviceTitan: ServiceTitanClient, order: Order) {
  const name = customerDisplayName(order.customer.firstName, order.customer.lastName);
  const address = toServiceTitanAddress(order.serviceAddress);
  const contacts = [
    {
      type: 'MobilePhone' as const,
      value: nationalDigits(order.customer.phone) ?? order.customer.phone,
      memo: 'From the online store',
    },
    ...(order.customer.email
      ? [{ type: 'Email' as const, value: order.customer.email, memo: 'From the online store' }]
      : []),
  ];
  const marker = serviceTitan.externalDataFor(ExternalKey.storeOrder, order.id);
  return {
    name,
    type: 'Residential' as const,
    address,
    contacts,
    externalData: marker,
    locations: [{ name, address, contacts, externalData: marker }],
  };
}
