import { z } from "zod";
import { decimalIdSchema } from "../../domain/input";
import { timeOffEntrySchema } from "../../domain/org-file";
import { rotateSignIn } from "../../services/sessions";
import { addTimeOff, memberTimeOff, removeTimeOff } from "../../services/time-off";
import { apiRoute } from "../api-route";

const memberParams = z.object({ member: z.string().min(1) });

export const memberRoutes = [
  apiRoute({
    method: "post",
    path: "/members/:member/token/rotate",
    summary: "Reissue the member's personal sign-in link; the old link and every session it opened end now. The member themselves or an admin",
    access: "reader",
    params: memberParams,
    handle: ({ ctx, params }) => rotateSignIn(ctx, params.member),
  }),
  apiRoute({
    method: "get",
    path: "/members/:member/time-off",
    summary: "A member's time off, with the ids used to delete it",
    access: "reader",
    params: memberParams,
    handle: async ({ ctx, params }) => ({ timeOff: await memberTimeOff(ctx, params.member) }),
  }),
  apiRoute({
    method: "post",
    path: "/members/:member/time-off",
    summary: "Add time off (whole days inclusive in the member's zone, or an RRULE); the member themselves or an admin",
    access: "reader",
    params: memberParams,
    body: timeOffEntrySchema,
    status: 201,
    handle: ({ ctx, params, body }) => addTimeOff(ctx, params.member, body),
  }),
  apiRoute({
    method: "delete",
    path: "/members/:member/time-off/:id",
    summary: "Remove time off; the member themselves or an admin",
    access: "reader",
    params: memberParams.extend({ id: decimalIdSchema() }),
    handle: async ({ ctx, params, c }) => {
      await removeTimeOff(ctx, params.member, params.id);
      return c.body(null, 204);
    },
  }),
];
