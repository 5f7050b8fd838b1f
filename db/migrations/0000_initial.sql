CREATE TABLE "orders" (
	"tenant_id" text NOT NULL,
	"order_id" text NOT NULL,
	"order_number" text NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"order" jsonb NOT NULL,
	"workflow_id" text NOT NULL,
	"st_customer_id" bigint,
	"st_location_id" bigint,
	"st_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"steps" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"last_error" text,
	"last_error_type" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone,
	CONSTRAINT "orders_tenant_id_order_id_pk" PRIMARY KEY("tenant_id","order_id")
);
--> statement-breakpoint
CREATE TABLE "sync_ledger" (
	"tenant_id" text NOT NULL,
	"scope" text NOT NULL,
	"step" text NOT NULL,
	"st_entity_id" bigint NOT NULL,
	"created" boolean NOT NULL,
	"details" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_ledger_tenant_id_scope_step_pk" PRIMARY KEY("tenant_id","scope","step")
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"st_environment" text NOT NULL,
	"st_tenant_id" bigint NOT NULL,
	"st_client_id" text NOT NULL,
	"st_client_secret_encrypted" text NOT NULL,
	"st_app_key_encrypted" text NOT NULL,
	"st_base_url" text,
	"st_auth_url" text,
	"webhook_secrets_encrypted" text NOT NULL,
	"settings" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"event_id" text NOT NULL,
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"workflow_id" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone,
	CONSTRAINT "webhook_inbox_event_id_unique" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE INDEX "orders_status_idx" ON "orders" USING btree ("tenant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "webhook_inbox_pending_idx" ON "webhook_inbox" USING btree ("next_attempt_at") WHERE "webhook_inbox"."status" = 'pending';