CREATE TABLE "work_order_attachments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"added_by" text NOT NULL,
	"added_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_categories" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province_id" uuid NOT NULL,
	"parent_id" uuid,
	"code" text NOT NULL,
	"zh" text NOT NULL,
	"en" text NOT NULL,
	"service_quality" boolean DEFAULT false NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_hops" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"from_unit_id" uuid NOT NULL,
	"to_unit_id" uuid NOT NULL,
	"to_unit_path" text NOT NULL,
	"sent_by" text NOT NULL,
	"sent_by_staff_id" uuid NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"note" text NOT NULL,
	"answered_at" timestamp with time zone,
	"answer" text
);
--> statement-breakpoint
CREATE TABLE "work_order_links" (
	"order_id" uuid NOT NULL,
	"other_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "work_order_links_order_id_other_id_pk" PRIMARY KEY("order_id","other_id")
);
--> statement-breakpoint
CREATE TABLE "work_order_numbers" (
	"province_id" uuid NOT NULL,
	"day" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "work_order_numbers_province_id_day_pk" PRIMARY KEY("province_id","day")
);
--> statement-breakpoint
CREATE TABLE "work_order_pauses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"state" text NOT NULL,
	"from_at" timestamp with time zone NOT NULL,
	"to_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_order_round_robin" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"last_staff_id" uuid
);
--> statement-breakpoint
CREATE TABLE "work_order_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"order_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"step" text NOT NULL,
	"actor_name" text NOT NULL,
	"unit_id" uuid,
	"text" text DEFAULT '' NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "work_order_timers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"what" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"channel" text NOT NULL,
	"state" text NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"customer_id" uuid,
	"subscription_id" uuid,
	"customer_tier" text,
	"contact_phone" text NOT NULL,
	"contact_phone_hash" text NOT NULL,
	"category_id" uuid NOT NULL,
	"concerns_unit_id" uuid NOT NULL,
	"concerns_unit_path" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"attributes" jsonb NOT NULL,
	"escalated_from" text,
	"regulator_ref" text,
	"deadline" timestamp with time zone,
	"owner_staff_id" uuid NOT NULL,
	"owner_name" text NOT NULL,
	"owner_unit_id" uuid NOT NULL,
	"owner_unit_path" text NOT NULL,
	"handling_unit_id" uuid NOT NULL,
	"handling_unit_path" text NOT NULL,
	"assignee_staff_id" uuid,
	"assignee_name" text,
	"paths" text[] NOT NULL,
	"policy_id" text NOT NULL,
	"targets" jsonb NOT NULL,
	"escalation" jsonb NOT NULL,
	"pause_states" jsonb NOT NULL,
	"calendar_unit_id" uuid NOT NULL,
	"response_due_at" timestamp with time zone,
	"resolution_due_at" timestamp with time zone,
	"escalation_level" text,
	"created_at" timestamp with time zone NOT NULL,
	"first_response_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"reply_text" text,
	"satisfaction" integer,
	"survey_code_hash" text,
	"parent_id" uuid,
	"merged_into_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "work_orders_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE INDEX "work_order_attachments_order_idx" ON "work_order_attachments" USING btree ("order_id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_order_categories_code_key" ON "work_order_categories" USING btree ("province_id","code");--> statement-breakpoint
CREATE INDEX "work_order_hops_order_idx" ON "work_order_hops" USING btree ("order_id","sent_at");--> statement-breakpoint
CREATE INDEX "work_order_pauses_order_idx" ON "work_order_pauses" USING btree ("order_id","from_at");--> statement-breakpoint
CREATE INDEX "work_order_steps_order_idx" ON "work_order_steps" USING btree ("order_id","at");--> statement-breakpoint
CREATE INDEX "work_order_timers_due_idx" ON "work_order_timers" USING btree ("due_at") WHERE "work_order_timers"."fired_at" IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "work_order_timers_what_key" ON "work_order_timers" USING btree ("order_id","what");--> statement-breakpoint
CREATE UNIQUE INDEX "work_orders_id_key" ON "work_orders" USING btree ("id");--> statement-breakpoint
CREATE UNIQUE INDEX "work_orders_number_key" ON "work_orders" USING btree ("province_id","number");--> statement-breakpoint
CREATE INDEX "work_orders_paths_idx" ON "work_orders" USING gin ("paths");--> statement-breakpoint
CREATE INDEX "work_orders_handling_idx" ON "work_orders" USING btree ("handling_unit_path" text_pattern_ops,"state");--> statement-breakpoint
CREATE INDEX "work_orders_owner_idx" ON "work_orders" USING btree ("owner_staff_id","state");--> statement-breakpoint
CREATE INDEX "work_orders_assignee_idx" ON "work_orders" USING btree ("assignee_staff_id","state");--> statement-breakpoint
CREATE INDEX "work_orders_customer_idx" ON "work_orders" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "work_orders_phone_idx" ON "work_orders" USING btree ("contact_phone_hash");--> statement-breakpoint
CREATE INDEX "work_orders_concerns_idx" ON "work_orders" USING btree ("concerns_unit_path" text_pattern_ops,"created_at");