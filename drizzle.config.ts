import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: [
    './src/platform/db/schema.ts',
    './src/modules/queue/schema.ts',
    './src/modules/notify/schema.ts',
    './src/modules/echannel/schema.ts',
    './src/modules/catalogue/schema.ts',
    './src/modules/visits/schema.ts',
    './src/modules/workorders/schema.ts',
  ],
  out: './drizzle',
});
