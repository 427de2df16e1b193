CREATE TABLE "queue_appointments" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"local_date" date NOT NULL,
	"slot_start" timestamp with time zone NOT NULL,
	"slot_end" timestamp with time zone NOT NULL,
	"category_code" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"phone" text NOT NULL,
	"club_tier" text,
	"is_3g" boolean DEFAULT false NOT NULL,
	"status" text NOT NULL,
	"ticket_id" uuid,
	"booked_by" uuid,
	"booked_by_kind" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "queue_appointments_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "queue_categories" (
	"unit_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"queue_code" text NOT NULL,
	"mean_service_minutes" real NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "queue_categories_unit_id_code_pk" PRIMARY KEY("unit_id","code")
);
--> statement-breakpoint
CREATE TABLE "queue_counters" (
	"id" uuid PRIMARY KEY NOT NULL,
	"province_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"code" text NOT NULL,
	"number" integer NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"default_profile_id" uuid NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"state" text DEFAULT 'closed' NOT NULL,
	"state_since" timestamp with time zone NOT NULL,
	"profile_id" uuid,
	"staff_id" uuid,
	"staff_name" text DEFAULT '' NOT NULL,
	"pause_reason" text DEFAULT '' NOT NULL,
	"current_ticket_id" uuid
);
--> statement-breakpoint
CREATE TABLE "queue_days" (
	"unit_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"not_served" integer NOT NULL,
	"appointment_no_shows" integer NOT NULL,
	CONSTRAINT "queue_days_unit_id_local_date_pk" PRIMARY KEY("unit_id","local_date")
);
--> statement-breakpoint
CREATE TABLE "queue_halls" (
	"unit_id" uuid PRIMARY KEY NOT NULL,
	"province_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"segmentation" jsonb NOT NULL,
	"notices" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "queue_queues" (
	"unit_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"prefix" text NOT NULL,
	"vip" boolean DEFAULT false NOT NULL,
	"sort" integer DEFAULT 0 NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	CONSTRAINT "queue_queues_unit_id_code_pk" PRIMARY KEY("unit_id","code")
);
--> statement-breakpoint
CREATE TABLE "queue_sequences" (
	"unit_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	"prefix" text NOT NULL,
	"last" integer NOT NULL,
	CONSTRAINT "queue_sequences_unit_id_local_date_prefix_pk" PRIMARY KEY("unit_id","local_date","prefix")
);
--> statement-breakpoint
CREATE TABLE "queue_tickets" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"local_date" date NOT NULL,
	"seq" integer NOT NULL,
	"number" text NOT NULL,
	"queue_code" text NOT NULL,
	"category_code" text NOT NULL,
	"priority" integer DEFAULT 0 NOT NULL,
	"vip" boolean DEFAULT false NOT NULL,
	"channel" text NOT NULL,
	"customer_id" uuid,
	"phone" text DEFAULT '' NOT NULL,
	"customer_label" text DEFAULT '' NOT NULL,
	"club_tier" text,
	"is_3g" boolean DEFAULT false NOT NULL,
	"appointment_id" uuid,
	"status" text NOT NULL,
	"target_counter_id" uuid,
	"taken_at" timestamp with time zone NOT NULL,
	"waiting_since" timestamp with time zone NOT NULL,
	"taken_by" uuid,
	"first_called_at" timestamp with time zone,
	"wait_seconds" integer,
	"wait_limit_minutes" integer,
	"called_at" timestamp with time zone,
	"call_wait_limit_minutes" integer,
	"last_call_at" timestamp with time zone,
	"recalls" integer DEFAULT 0 NOT NULL,
	"counter_id" uuid,
	"staff_id" uuid,
	"staff_name" text DEFAULT '' NOT NULL,
	"started_at" timestamp with time zone,
	"business_done_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"outcome" text,
	"business" text[] DEFAULT '{}'::text[] NOT NULL,
	"transfers" integer DEFAULT 0 NOT NULL,
	"pre_registration" jsonb,
	"near_front_at" timestamp with time zone,
	"wait_alert" text,
	"transaction_alert" text,
	CONSTRAINT "queue_tickets_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "queue_transactions" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"local_date" date NOT NULL,
	"counter_id" uuid NOT NULL,
	"staff_id" uuid,
	"staff_name" text DEFAULT '' NOT NULL,
	"queue_code" text NOT NULL,
	"category_code" text NOT NULL,
	"vip" boolean NOT NULL,
	"channel" text NOT NULL,
	"waiting_since" timestamp with time zone NOT NULL,
	"called_at" timestamp with time zone NOT NULL,
	"started_at" timestamp with time zone,
	"business_done_at" timestamp with time zone,
	"ended_at" timestamp with time zone NOT NULL,
	"outcome" text NOT NULL,
	"wait_seconds" integer NOT NULL,
	"wait_limit_minutes" integer NOT NULL,
	"transaction_seconds" integer,
	"transaction_limit_minutes" integer NOT NULL,
	"selling_seconds" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "queue_transactions_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "queue_work_profiles" (
	"id" uuid PRIMARY KEY NOT NULL,
	"unit_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"name_en" text NOT NULL,
	"rules" jsonb NOT NULL,
	"categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"active" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
ALTER TABLE "queue_categories" ADD CONSTRAINT "queue_categories_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_counters" ADD CONSTRAINT "queue_counters_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_halls" ADD CONSTRAINT "queue_halls_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_queues" ADD CONSTRAINT "queue_queues_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "queue_work_profiles" ADD CONSTRAINT "queue_work_profiles_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "queue_appointments_slot_idx" ON "queue_appointments" USING btree ("unit_id","slot_start");--> statement-breakpoint
CREATE INDEX "queue_appointments_phone_idx" ON "queue_appointments" USING btree ("phone","unit_id","local_date");--> statement-breakpoint
CREATE INDEX "queue_appointments_customer_idx" ON "queue_appointments" USING btree ("customer_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_counters_code_key" ON "queue_counters" USING btree ("unit_id","code");--> statement-breakpoint
CREATE INDEX "queue_counters_staff_idx" ON "queue_counters" USING btree ("staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_tickets_id_key" ON "queue_tickets" USING btree ("id","province_id");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_tickets_number_key" ON "queue_tickets" USING btree ("unit_id","local_date","number");--> statement-breakpoint
CREATE INDEX "queue_tickets_next_idx" ON "queue_tickets" USING btree ("unit_id","local_date","queue_code","priority" DESC NULLS LAST,"waiting_since","taken_at","id") WHERE "queue_tickets"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "queue_tickets_oldest_idx" ON "queue_tickets" USING btree ("unit_id","local_date","queue_code","waiting_since","taken_at","id") WHERE "queue_tickets"."status" = 'waiting';--> statement-breakpoint
CREATE INDEX "queue_tickets_open_idx" ON "queue_tickets" USING btree ("unit_id","local_date") WHERE "queue_tickets"."status" in ('waiting', 'called', 'serving', 'parked');--> statement-breakpoint
CREATE INDEX "queue_tickets_path_idx" ON "queue_tickets" USING btree ("unit_path" text_pattern_ops,"local_date");--> statement-breakpoint
CREATE INDEX "queue_tickets_phone_idx" ON "queue_tickets" USING btree ("phone","unit_id","local_date");--> statement-breakpoint
CREATE INDEX "queue_tickets_calls_idx" ON "queue_tickets" USING btree ("unit_id","local_date","last_call_at");--> statement-breakpoint
CREATE INDEX "queue_transactions_path_idx" ON "queue_transactions" USING btree ("unit_path" text_pattern_ops,"local_date");--> statement-breakpoint
CREATE INDEX "queue_transactions_unit_idx" ON "queue_transactions" USING btree ("unit_id","ended_at");--> statement-breakpoint
CREATE INDEX "queue_transactions_ticket_idx" ON "queue_transactions" USING btree ("province_id","ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "queue_work_profiles_code_key" ON "queue_work_profiles" USING btree ("unit_id","code");