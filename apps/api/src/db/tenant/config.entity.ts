import { defineEntity, p, type InferEntity } from '@mikro-orm/core';

/** A tenant's configuration as key/value pairs; provisioning seeds the defaults. */
export const ConfigEntrySchema = defineEntity({
  name: 'ConfigEntry',
  tableName: 'config',
  schema: '*',
  properties: {
    key: p.string().length(100).primary(),
    value: p.json<unknown>(),
    /** Secret values are stored encrypted and never returned in clear to the SPA. */
    secret: p.boolean().default(false),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export type ConfigEntry = InferEntity<typeof ConfigEntrySchema>;
