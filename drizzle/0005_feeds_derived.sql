DROP TABLE `feed_slots`;--> statement-breakpoint
DROP TABLE `feed_versions`;