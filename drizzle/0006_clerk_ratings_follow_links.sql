CREATE TABLE "queue_ratings" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"local_date" date NOT NULL,
	"counter_id" uuid NOT NULL,
	"staff_id" uuid,
	"staff_name" text DEFAULT '' NOT NULL,
	"category_code" text NOT NULL,
	"score" integer NOT NULL,
	"reasons" text[] DEFAULT '{}'::text[] NOT NULL,
	"comment" text DEFAULT '' NOT NULL,
	"device_id" uuid NOT NULL,
	"rated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_ratings_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
ALTER TABLE "credentials" ADD COLUMN "counter_id" uuid;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD COLUMN "follow_token_hash" text;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD COLUMN "follow_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "queue_ratings_ticket_key" ON "queue_ratings" USING btree ("province_id","ticket_id");--> statement-breakpoint
CREATE INDEX "queue_ratings_path_idx" ON "queue_ratings" USING btree ("unit_path" text_pattern_ops,"local_date");