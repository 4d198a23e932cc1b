CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`app` text NOT NULL,
	`number` integer NOT NULL,
	`op_id` text,
	`started_with` text NOT NULL,
	`title` text NOT NULL,
	`by` text NOT NULL,
	`outside` integer NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`outcome` text NOT NULL,
	`source_kind` text NOT NULL,
	`source_sha` text NOT NULL,
	`source_repo` text NOT NULL,
	`source_image` text NOT NULL,
	`build_id` text,
	`rollback_to` integer,
	`snapshot` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_app_number` ON `releases` (`app`,`number`);--> statement-breakpoint
CREATE INDEX `releases_started_at` ON `releases` (`started_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `releases_build` ON `releases` (`app`,`build_id`);