CREATE TABLE "agent_sales" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"line_id" uuid NOT NULL,
	"customer_id" uuid,
	"business_code" text NOT NULL,
	"sold_at" timestamp with time zone NOT NULL,
	"returned_at" timestamp with time zone,
	"returned_by" uuid,
	CONSTRAINT "agent_sales_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "cash_days" (
	"province_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"staff_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	"summary" jsonb NOT NULL,
	"counted_cash_fen" integer NOT NULL,
	"difference_fen" integer NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "cash_days_province_id_unit_id_staff_id_local_date_pk" PRIMARY KEY("province_id","unit_id","staff_id","local_date")
);
--> statement-breakpoint
CREATE TABLE "catalogue_versions" (
	"unit_id" uuid NOT NULL,
	"version_id" text NOT NULL,
	"based_on" text,
	"types" jsonb NOT NULL,
	"retention_offers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" uuid,
	"retired_at" timestamp with time zone,
	CONSTRAINT "catalogue_versions_unit_id_version_id_pk" PRIMARY KEY("unit_id","version_id")
);
--> statement-breakpoint
CREATE TABLE "id_document_copies" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"customer_id" uuid,
	"visit_id" uuid NOT NULL,
	"line_id" uuid,
	"doc_kind" text NOT NULL,
	"mime" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"captured_at" timestamp with time zone NOT NULL,
	"captured_by" uuid,
	CONSTRAINT "id_document_copies_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "repairs" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"customer_id" uuid NOT NULL,
	"visit_id" uuid,
	"brand" text NOT NULL,
	"model" text NOT NULL,
	"imei" text NOT NULL,
	"fault" text NOT NULL,
	"intake_check" jsonb NOT NULL,
	"status" text NOT NULL,
	"spare_imei" text,
	"spare_lent_at" timestamp with time zone,
	"spare_returned_at" timestamp with time zone,
	"received_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"collected_at" timestamp with time zone,
	"received_by" uuid,
	CONSTRAINT "repairs_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_corrections" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"line_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"field" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text NOT NULL,
	"found_by" text NOT NULL,
	"found_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	CONSTRAINT "visit_corrections_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_documents" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"replaces" uuid,
	"content" jsonb NOT NULL,
	"signature_png" "bytea" NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"copies" integer DEFAULT 0 NOT NULL,
	"voided_at" timestamp with time zone,
	"void_reason" text,
	CONSTRAINT "visit_documents_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_lines" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"seq" integer NOT NULL,
	"business_code" text NOT NULL,
	"business_zh" text NOT NULL,
	"business_en" text NOT NULL,
	"light" boolean DEFAULT false NOT NULL,
	"subscription_id" uuid,
	"values" jsonb NOT NULL,
	"fee_fen" integer NOT NULL,
	"identity_method" text NOT NULL,
	"strict" boolean DEFAULT false NOT NULL,
	"doc_kind" text,
	"doc_number_masked" text,
	"changes" jsonb NOT NULL,
	"retention" jsonb,
	"status" text NOT NULL,
	"entered_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"entered_by" uuid,
	CONSTRAINT "visit_lines_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "visit_payments" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"local_date" date NOT NULL,
	"staff_id" uuid,
	"method" text NOT NULL,
	"amount_fen" integer NOT NULL,
	"tendered_fen" integer,
	"change_fen" integer DEFAULT 0 NOT NULL,
	"at" timestamp with time zone NOT NULL,
	CONSTRAINT "visit_payments_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
CREATE TABLE "visits" (
	"province_id" uuid NOT NULL,
	"id" uuid NOT NULL,
	"unit_id" uuid NOT NULL,
	"unit_path" text NOT NULL,
	"local_date" date NOT NULL,
	"counter_id" uuid NOT NULL,
	"ticket_id" uuid,
	"staff_id" uuid,
	"staff_name" text NOT NULL,
	"customer_id" uuid,
	"catalogue_unit_id" uuid NOT NULL,
	"catalogue_version" text NOT NULL,
	"status" text NOT NULL,
	"total_fen" integer DEFAULT 0 NOT NULL,
	"paid_fen" integer DEFAULT 0 NOT NULL,
	"password_verified_at" timestamp with time zone,
	"password_verified_for" uuid,
	"opened_at" timestamp with time zone NOT NULL,
	"signed_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" uuid,
	CONSTRAINT "visits_province_id_id_pk" PRIMARY KEY("province_id","id")
);
--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "iccid" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "deposit_fen" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "contract_until" date;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "subsidy_until" date;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "service_password_hash" text;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "service_password_state" text DEFAULT 'none' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "service_password_failures" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "service_password_locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "updated_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_sales_line_key" ON "agent_sales" USING btree ("line_id");--> statement-breakpoint
CREATE INDEX "agent_sales_path_idx" ON "agent_sales" USING btree ("unit_path" text_pattern_ops,"sold_at");--> statement-breakpoint
CREATE INDEX "catalogue_versions_unit_idx" ON "catalogue_versions" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "id_document_copies_customer_idx" ON "id_document_copies" USING btree ("province_id","customer_id");--> statement-breakpoint
CREATE INDEX "repairs_customer_idx" ON "repairs" USING btree ("province_id","customer_id");--> statement-breakpoint
CREATE INDEX "repairs_path_idx" ON "repairs" USING btree ("unit_path" text_pattern_ops,"status");--> statement-breakpoint
CREATE INDEX "visit_corrections_path_idx" ON "visit_corrections" USING btree ("unit_path" text_pattern_ops,"found_at");--> statement-breakpoint
CREATE INDEX "visit_documents_visit_idx" ON "visit_documents" USING btree ("province_id","visit_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visit_lines_seq_key" ON "visit_lines" USING btree ("visit_id","seq");--> statement-breakpoint
CREATE INDEX "visit_lines_path_idx" ON "visit_lines" USING btree ("unit_path" text_pattern_ops,"entered_at");--> statement-breakpoint
CREATE INDEX "visit_payments_visit_idx" ON "visit_payments" USING btree ("province_id","visit_id");--> statement-breakpoint
CREATE INDEX "visit_payments_day_idx" ON "visit_payments" USING btree ("unit_id","local_date","staff_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_id_key" ON "visits" USING btree ("id","province_id");--> statement-breakpoint
CREATE INDEX "visits_path_idx" ON "visits" USING btree ("unit_path" text_pattern_ops,"local_date");--> statement-breakpoint
CREATE INDEX "visits_customer_idx" ON "visits" USING btree ("province_id","customer_id");--> statement-breakpoint
CREATE UNIQUE INDEX "visits_ticket_open_key" ON "visits" USING btree ("ticket_id") WHERE "visits"."ticket_id" is not null and "visits"."status" in ('open', 'signed');--> statement-breakpoint
CREATE UNIQUE INDEX "visits_counter_open_key" ON "visits" USING btree ("counter_id") WHERE "visits"."status" in ('open', 'signed');--> statement-breakpoint
CREATE INDEX "visits_open_idx" ON "visits" USING btree ("unit_id","local_date") WHERE "visits"."status" in ('open', 'signed');--> statement-breakpoint
CREATE UNIQUE INDEX "subscriptions_number_live_key" ON "subscriptions" USING btree ("province_id","kind","number") WHERE "subscriptions"."status" <> 'cancelled';