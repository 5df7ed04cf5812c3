ALTER TABLE `tokens` ADD `sealed` text;--> statement-breakpoint
-- Tokens used to be derived from this secret: with it gone, a copy of the database re-derives nothing.
-- Their hashes stay, so links already handed out keep working until rotated (see README, "Upgrading").
DELETE FROM `settings` WHERE `key` = 'secret';
--> statement-breakpoint
-- A retired member's or team's access ends with their retirement; before this release it did not.
UPDATE `tokens` SET `revoked_at` = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE `revoked_at` IS NULL AND (`member_id` IN (SELECT `id` FROM `members` WHERE `retired_at` IS NOT NULL) OR `team_id` IN (SELECT `id` FROM `teams` WHERE `retired_at` IS NOT NULL));
