CREATE TABLE `chain_anchor` (
	`id` integer PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `commands` ADD `chain_seq` integer;--> statement-breakpoint
ALTER TABLE `commands` ADD `chain_prev` text;--> statement-breakpoint
ALTER TABLE `commands` ADD `chain_hash` text;--> statement-breakpoint
CREATE UNIQUE INDEX `commands_chain_seq` ON `commands` (`chain_seq`);