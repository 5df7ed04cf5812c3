/** Escapes text for Slack's mrkdwn (the three characters it reserves), so names and notes cannot ping or link. */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
