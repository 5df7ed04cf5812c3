import { DateTime } from "luxon";

/** An instant shown in a zone, by a luxon format ("ccc d LLL HH:mm" unless told). */
export const inZone = (iso: string, zone: string, format = "ccc d LLL HH:mm") => DateTime.fromISO(iso, { zone: "utc" }).setZone(zone).toFormat(format);

/** A local date (YYYY-MM-DD) as a reader says it. */
export const dateLabel = (date: string, format = "ccc d LLL yyyy") => DateTime.fromISO(date, { zone: "utc" }).toFormat(format);

export const hours = (h: number) => `${Math.round(h)} h`;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
