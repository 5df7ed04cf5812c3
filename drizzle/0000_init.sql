CREATE TABLE `assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`rotation_id` text NOT NULL,
	`week_start` text NOT NULL,
	`week_end` text NOT NULL,
	`member_id` text,
	`reason` text NOT NULL,
	`sequence` integer DEFAULT 0 NOT NULL,
	`recorded_at` text NOT NULL,
	`superseded_at` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `assignments_current` ON `assignments` (`team_id`,`rotation_id`,`superseded_at`,`week_start`);--> statement-breakpoint
CREATE UNIQUE INDEX `assignments_one_current` ON `assignments` (`team_id`,`rotation_id`,`week_start`) WHERE superseded_at IS NULL;--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`request_id` text
);
--> statement-breakpoint
CREATE INDEX `audit_entity` ON `audit_log` (`entity`,`entity_id`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`phone` text,
	`time_zone` text NOT NULL,
	`country` text NOT NULL,
	`subdivision` text,
	`start_date` text,
	`end_date` text,
	`position` integer NOT NULL,
	`retired_at` text
);
--> statement-breakpoint
CREATE TABLE `overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`rotation_id` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`member_id` text NOT NULL,
	`replaced_member_id` text,
	`source` text NOT NULL,
	`swap_id` integer,
	`created_by` text NOT NULL,
	`recorded_at` text NOT NULL,
	`cancelled_at` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaced_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `overrides_rotation` ON `overrides` (`team_id`,`rotation_id`,`start`);--> statement-breakpoint
CREATE TABLE `rotation_members` (
	`team_id` text NOT NULL,
	`rotation_id` text NOT NULL,
	`member_id` text NOT NULL,
	`position` integer NOT NULL,
	PRIMARY KEY(`team_id`, `rotation_id`, `member_id`),
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rotations` (
	`team_id` text NOT NULL,
	`id` text NOT NULL,
	`name` text NOT NULL,
	`time_zone` text,
	`window_start` text,
	`window_end` text,
	`position` integer NOT NULL,
	`retired_at` text,
	PRIMARY KEY(`team_id`, `id`),
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `swap_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`rotation_id` text NOT NULL,
	`start` text NOT NULL,
	`end` text NOT NULL,
	`requester_id` text NOT NULL,
	`type` text NOT NULL,
	`to_member_id` text,
	`offered_rotation_id` text,
	`offered_start` text,
	`offered_end` text,
	`note` text,
	`status` text NOT NULL,
	`taker_id` text,
	`decided_by` text,
	`created_at` text NOT NULL,
	`decided_at` text,
	FOREIGN KEY (`requester_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`to_member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`taker_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `swap_requests_status` ON `swap_requests` (`status`,`start`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`handoff_weekday` text NOT NULL,
	`handoff_time` text NOT NULL,
	`freeze_weeks` integer NOT NULL,
	`holiday_policy` text NOT NULL,
	`holiday_cover` text NOT NULL,
	`count_bank_holidays` integer NOT NULL,
	`gap_policy` text NOT NULL,
	`escalation` text NOT NULL,
	`position` integer NOT NULL,
	`retired_at` text
);
--> statement-breakpoint
CREATE TABLE `time_off` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`member_id` text NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text,
	`rrule` text,
	`note` text,
	`source` text NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) NOT NULL,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `time_off_member` ON `time_off` (`member_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`member_id` text,
	`team_id` text,
	`hash` text NOT NULL,
	`generation` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) NOT NULL,
	`revoked_at` text,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tokens_hash` ON `tokens` (`hash`);