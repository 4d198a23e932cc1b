CREATE TABLE `commands` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`op_id` text NOT NULL,
	`host` text NOT NULL,
	`op` text NOT NULL,
	`app` text,
	`argv` text NOT NULL,
	`exit_code` integer,
	`outcome` text NOT NULL,
	`stdout` text NOT NULL,
	`stderr` text NOT NULL,
	`duration_ms` integer NOT NULL,
	`requested_by` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commands_started_at` ON `commands` (`started_at`);--> statement-breakpoint
CREATE INDEX `commands_app` ON `commands` (`app`);--> statement-breakpoint
CREATE INDEX `commands_op_id` ON `commands` (`op_id`);--> statement-breakpoint
CREATE TABLE `rejections` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`op_id` text,
	`op` text,
	`reason` text NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `seen_ops` (
	`jti` text PRIMARY KEY NOT NULL,
	`expires_at` integer NOT NULL
);
