CREATE TABLE `team_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`team_id` text NOT NULL,
	`recorded_at` text NOT NULL,
	`config` text
);
--> statement-breakpoint
CREATE INDEX `team_versions_team` ON `team_versions` (`team_id`,`recorded_at`);