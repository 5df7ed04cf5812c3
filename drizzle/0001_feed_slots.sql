CREATE TABLE `calendar_reminders` (
	`member_id` text PRIMARY KEY NOT NULL,
	`minutes_before` integer NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `feed_slots` (
	`team_id` text NOT NULL,
	`rotation_id` text NOT NULL,
	`slot` text NOT NULL,
	`member_id` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`sequence` integer NOT NULL,
	`last_modified` text NOT NULL,
	PRIMARY KEY(`team_id`, `rotation_id`, `slot`)
);
--> statement-breakpoint
CREATE TABLE `feed_versions` (
	`feed` text PRIMARY KEY NOT NULL,
	`etag` text NOT NULL,
	`last_modified` text NOT NULL
);
