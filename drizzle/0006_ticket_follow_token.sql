ALTER TABLE "queue_tickets" ADD COLUMN "follow_token_hash" text;--> statement-breakpoint
ALTER TABLE "queue_tickets" ADD COLUMN "follow_expires_at" timestamp with time zone;