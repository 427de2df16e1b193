CREATE TABLE "installation_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" "bytea" NOT NULL
);
--> statement-breakpoint
-- 32 bytes of the server's strong random source (gen_random_uuid is PostgreSQL's own, 13+): two version-4
-- UUIDs without their dashes, 244 random bits.
INSERT INTO "installation_secrets" ("name", "value")
  VALUES ('hash_key', decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'));
