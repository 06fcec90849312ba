import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWarehouseWebhook } from "../warehouses/intake.server";

// Signed webhooks from a warehouse connection (stock changes, shipments, returns).
export const action = ({ request, params }: ActionFunctionArgs) => receiveWarehouseWebhook(request, params.connectionId ?? "");
