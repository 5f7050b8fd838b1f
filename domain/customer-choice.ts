import { z } from 'zod';

/** An operator's answer to an ambiguous customer match, sent from the Temporal UI or the API. */
export const customerChoiceSchema = z.union([
  z.object({ customerId: z.number().int().positive() }).strict(),
  z.object({ createNew: z.literal(true) }).strict(),
]);
export type CustomerChoice = z.infer<typeof customerChoiceSchema>;
