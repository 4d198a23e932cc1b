CREATE TABLE `pinned_key` (
	`id` integer PRIMARY KEY NOT NULL,
	`x` text NOT NULL,
	`configured` text NOT NULL,
	`pinned_at` integer NOT NULL
);
