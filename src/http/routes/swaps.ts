import { z } from "zod";
import {
  acceptSwap,
  acceptSwapSchema,
  actOnSwapSchema,
  cancelSwap,
  declineSwap,
  getSwap,
  listSwapViews,
  listSwapsSchema,
  openSwap,
  openSwapSchema,
  type SwapEvent,
} from "../../services/swaps";
import { decimalIdSchema } from "../../domain/input";
import { apiRoute } from "../api-route";

const swapParams = z.object({ id: decimalIdSchema("must be a request number") });

export function swapRoutes(deps: { notify: (event: SwapEvent) => void }) {
  const { notify } = deps;
  return [
    apiRoute({
      method: "post",
      path: "/swaps",
      summary: "Ask for cover or a trade of (part of) your own future shift; an admin names the member with asMember",
      access: "reader",
      body: openSwapSchema,
      status: 201,
      handle: ({ ctx, body }) => openSwap({ ctx, notify }, body),
    }),
    apiRoute({
      method: "get",
      path: "/swaps",
      summary: "Swap requests, newest first: those a member asked for, was asked or took; by status; by team",
      access: "reader",
      query: listSwapsSchema,
      handle: ({ ctx, query }) => listSwapViews({ ctx, notify }, query),
    }),
    apiRoute({
      method: "get",
      path: "/swaps/:id",
      summary: "One swap request; while open, who may take it and why not",
      access: "reader",
      params: swapParams,
      handle: ({ ctx, params }) => getSwap({ ctx, notify }, params.id),
    }),
    apiRoute({
      method: "post",
      path: "/swaps/:id/accept",
      summary: "Take an open request (for a trade without a named return shift, give `offered`); 409 once it is not open",
      access: "reader",
      params: swapParams,
      body: acceptSwapSchema,
      handle: ({ ctx, params, body }) => acceptSwap({ ctx, notify }, params.id, body),
    }),
    apiRoute({
      method: "post",
      path: "/swaps/:id/decline",
      summary: "The named member declines a request made to them; 409 once it is not open",
      access: "reader",
      params: swapParams,
      body: actOnSwapSchema,
      handle: ({ ctx, params, body }) => declineSwap({ ctx, notify }, params.id, body),
    }),
    apiRoute({
      method: "post",
      path: "/swaps/:id/cancel",
      summary: "The requester withdraws an open request; 409 once it is not open",
      access: "reader",
      params: swapParams,
      body: actOnSwapSchema,
      handle: ({ ctx, params, body }) => cancelSwap({ ctx, notify }, params.id, body),
    }),
  ];
}
